import json

from tastegraph_trainer.curves import read_log

from test_cli import run_cli


def write_log(path, epochs, lrs, best):
    lines = [{"event": "started", "model": "lightgcn"}]
    for ep, lr in zip(epochs, lrs):
        lines.append(
            {
                "event": "epoch",
                "epoch": ep,
                "loss": 0.5,
                "lr": lr,
                "metrics": {"recall@20": ep / 100} if ep % 2 == 0 else None,
            }
        )
    lines.append({"event": "done", "metrics": {"best_epoch": best}})
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    return path


def test_read_log_keeps_evaluated_epochs_lr_changes_and_the_best(tmp_path):
    log = write_log(tmp_path / "a.jsonl", [1, 2, 3, 4, 5, 6], [1e-3, 1e-3, 2e-4, 2e-4, 2e-4, 4e-5], best=4)
    run = read_log(log)
    assert run["epochs"] == [(2, 0.02), (4, 0.04), (6, 0.06)]
    assert run["lr_changes"] == [3, 6]
    assert run["best_epoch"] == 4


def test_curves_draws_a_png_and_rejects_a_log_without_evaluations(tmp_path):
    a = write_log(tmp_path / "a.jsonl", [2, 4], [1e-3, 1e-3], best=4)
    b = write_log(tmp_path / "b.jsonl", [2, 4, 6], [1e-3, 1e-3, 1e-3], best=6)
    out = tmp_path / "plots" / "c.png"
    r = run_cli("curves", f"{a}=LightGCN", str(b), "--out", str(out), "--title", "two runs")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    empty = write_log(tmp_path / "e.jsonl", [1, 3], [1e-3, 1e-3], best=0)
    r = run_cli("curves", str(empty), "--out", str(tmp_path / "x.png"))
    assert r.returncode == 2 and "no evaluated epoch" in r.stderr
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    r = run_cli("curves", str(tmp_path / "bad.jsonl"), "--out", str(tmp_path / "x.png"))
    assert r.returncode == 2 and "bad.jsonl:1" in r.stderr
