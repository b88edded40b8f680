"""The request id of the API request that queued a run reaches the trainer's events and log lines."""

import io
import json

from tastegraph_trainer.events import REQUEST_ID_ENV, EventWriter, log


def test_events_and_logs_carry_the_request_id(monkeypatch, capsys):
    monkeypatch.setenv(REQUEST_ID_ENV, "req-42")
    out = io.StringIO()
    EventWriter(out).emit("epoch", epoch=1, loss=0.5)
    record = json.loads(out.getvalue())
    assert record["request_id"] == "req-42"
    assert record["event"] == "epoch" and record["loss"] == 0.5
    log("hello")
    assert "request_id=req-42] hello" in capsys.readouterr().err


def test_without_a_request_id_nothing_is_added(monkeypatch, capsys):
    monkeypatch.delenv(REQUEST_ID_ENV, raising=False)
    out = io.StringIO()
    EventWriter(out).emit("done", metrics={})
    assert "request_id" not in json.loads(out.getvalue())
    log("plain")
    assert "request_id" not in capsys.readouterr().err
