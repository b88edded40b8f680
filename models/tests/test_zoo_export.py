"""The zoo through the trainer CLI (same artefact layout for serving) and ONNX parity of the
inductive encoders (GraphSAGE mean / max-pool, PinSage)."""

import json
from pathlib import Path

import numpy as np
import pytest

from tastegraph_trainer.export import export_encoder
from tastegraph_trainer.foldin import pad_lists

from test_cli import events, run_cli
from test_zoo import tiny_pinsage, tiny_sage

ort = pytest.importorskip("onnxruntime")
SERVING_ARTIFACTS = {
    "scorer.onnx",
    "encoder.onnx",
    "user_embeddings.npy",
    "item_embeddings.npy",
    "users.tsv",
    "items.tsv",
    "metrics.json",
    "config.json",
}  # src/model-registry/artifacts.ts REQUIRED_ARTIFACTS
ENCODER_INPUTS = ["item_idx", "item_w", "item_mask", "friend_idx", "friend_mask"]


def _check_parity(enc, tmp_path):
    path = tmp_path / "encoder.onnx"
    export_encoder(enc, path)
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in sess.get_inputs()] == ENCODER_INPUTS
    for lists in ([[0, 1, 2], [2], []], [[1], [0, 2]], [[2, 2, 1, 0, 1]]):
        ii, iw, im = pad_lists(lists, [[1.0 + 0.5 * j for j in range(len(x))] for x in lists])
        fi, _, fm = pad_lists([[0]] * len(lists))
        expected = enc(ii, iw, im, fi, fm).detach().numpy()
        (got,) = sess.run(
            ["user_emb"],
            {
                "item_idx": ii.numpy(),
                "item_w": iw.numpy(),
                "item_mask": im.numpy(),
                "friend_idx": fi.numpy(),
                "friend_mask": fm.numpy(),
            },
        )
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, atol=1e-5)


@pytest.mark.parametrize("aggregator", ["mean", "pool"])
def test_graphsage_encoder_onnx_matches_pytorch(aggregator, tmp_path):
    _check_parity(tiny_sage(aggregator).eval().inductive_encoder().eval(), tmp_path)


def test_pinsage_encoder_onnx_matches_pytorch(tmp_path):
    _check_parity(tiny_pinsage().eval().inductive_encoder().eval(), tmp_path)


@pytest.mark.parametrize(
    "model,extra",
    [
        ("ngcf", ["--layers", "2"]),
        ("gcn", ["--layers", "2"]),
        ("gat", ["--layers", "2", "--gat-heads", "2"]),
        ("graphsage", ["--fanouts", "3,2", "--aggregator", "pool"]),
        ("pinsage", ["--layers", "2", "--walks", "10", "--walk-topk", "2", "--hard-ramp-epochs", "1"]),
    ],
)
def test_zoo_model_on_a_snapshot_writes_the_serving_artifacts(model, extra, tiny_snapshot, tmp_path, capsys):
    from tastegraph_trainer.cli import main

    out = tmp_path / "run"
    code = main(
        [
            "train",
            "--model",
            model,
            "--snapshot",
            str(tiny_snapshot),
            "--out",
            str(out),
            "--epochs",
            "3",
            "--eval-every",
            "1",
            "--dim",
            "8",
            "--val-fraction",
            "0.34",
            "--threads",
            "1",
            *extra,
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    ev = events(captured.out)
    assert ev[0]["event"] == "started" and ev[-1]["event"] == "done"
    names = {Path(e["path"]).name for e in ev if e["event"] == "artifact"}
    assert SERVING_ARTIFACTS <= names
    users, items = np.load(out / "user_embeddings.npy"), np.load(out / "item_embeddings.npy")
    assert users.shape[0] == 4 and items.shape[0] == 5 and users.shape[1] == items.shape[1]
    assert np.isfinite(users).all() and np.isfinite(items).all()
    enc = ort.InferenceSession(str(out / "encoder.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in enc.get_inputs()] == ENCODER_INPUTS
    (u,) = enc.run(
        ["user_emb"],
        {
            "item_idx": np.array([[0, 3]], dtype=np.int64),
            "item_w": np.ones((1, 2), np.float32),
            "item_mask": np.ones((1, 2), np.float32),
            "friend_idx": np.zeros((1, 1), np.int64),
            "friend_mask": np.zeros((1, 1), np.float32),
        },
    )
    assert u.shape == (1, users.shape[1]) and np.isfinite(u).all()
    scorer = ort.InferenceSession(str(out / "scorer.onnx"), providers=["CPUExecutionProvider"])
    (s,) = scorer.run(["scores"], {"user_emb": u})
    np.testing.assert_allclose(s, u @ items.T, atol=1e-4)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["model"] == model and metrics["parameters"] > 0


def test_pinsage_reads_the_cypher_walks_of_a_snapshot(tiny_snapshot, tmp_path, capsys):
    from tastegraph_trainer.cli import main
    from tastegraph_trainer.walks import read_pinsage_csv

    (tiny_snapshot / "pinsage.csv").write_text("item,neighbor,weight\n0,2,0.75\n0,1,0.25\n1,0,1.0\n")
    out = tmp_path / "run"
    code = main(
        [
            "train",
            "--model",
            "pinsage",
            "--snapshot",
            str(tiny_snapshot),
            "--out",
            str(out),
            "--epochs",
            "1",
            "--dim",
            "8",
            "--val-fraction",
            "0.34",
            "--walk-source",
            "snapshot",
            "--walk-topk",
            "2",
            "--no-export",
            "--threads",
            "1",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert events(captured.out)[-1]["event"] == "done"

    idx, w, mask = read_pinsage_csv(tiny_snapshot / "pinsage.csv", 5, 2)
    assert idx[0].tolist() == [2, 1] and w[0].tolist() == [0.75, 0.25] and mask[2].sum() == 0


def test_walk_source_snapshot_without_pinsage_csv_exits_with_code_2(tiny_snapshot, tmp_path):
    r = run_cli(
        "train",
        "--model",
        "pinsage",
        "--snapshot",
        str(tiny_snapshot),
        "--out",
        str(tmp_path / "o"),
        "--walk-source",
        "snapshot",
    )
    assert r.returncode == 2 and "--walk-source" in r.stderr


def test_unknown_aggregator_and_bad_fanouts_exit_with_code_2(tiny_snapshot, tmp_path):
    r = run_cli(
        "train",
        "--model",
        "graphsage",
        "--snapshot",
        str(tiny_snapshot),
        "--out",
        str(tmp_path / "o"),
        "--fanouts",
        "10,0",
    )
    assert r.returncode == 2 and "--fanouts" in r.stderr
