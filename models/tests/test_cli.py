import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

MODELS_DIR = Path(__file__).resolve().parents[1]


def run_cli(*args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "tastegraph_trainer", *args],
        cwd=MODELS_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_bad_configuration_exits_with_code_2_and_names_the_field(tiny_snapshot, tmp_path):
    r = run_cli(
        "train", "--model", "lightgcn", "--snapshot", str(tiny_snapshot), "--out", str(tmp_path / "o"), "--lr", "-1"
    )
    assert r.returncode == 2
    assert "--lr" in r.stderr
    assert r.stdout == ""


def test_missing_snapshot_folder_exits_with_code_2(tmp_path):
    r = run_cli("train", "--model", "mf", "--snapshot", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2


def test_broken_snapshot_exits_with_code_2(tiny_snapshot, tmp_path, capsys):
    from tastegraph_trainer.cli import main

    (tiny_snapshot / "users.tsv").write_text("idx\tname\n")
    code = main(["train", "--model", "mf", "--snapshot", str(tiny_snapshot), "--out", str(tmp_path / "o")])
    assert code == 2 and "users.tsv" in capsys.readouterr().err


def test_socialgcn_on_a_snapshot_emits_the_event_protocol_and_all_artifacts(tiny_snapshot, tmp_path):
    out = tmp_path / "run"
    r = run_cli(
        "train",
        "--model",
        "socialgcn",
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
        "--layers",
        "2",
        "--val-fraction",
        "0.34",
        "--attention-topk",
        "1",
    )
    assert r.returncode == 0, r.stderr
    ev = events(r.stdout)
    kinds = [e["event"] for e in ev]
    assert kinds[0] == "started" and kinds[-1] == "done"
    assert kinds.count("epoch") == 3
    assert all("loss" in e and "metrics" in e for e in ev if e["event"] == "epoch")
    artifacts = {Path(e["path"]).name: e for e in ev if e["event"] == "artifact"}
    expected = {
        "scorer.onnx",
        "scorer.onnx.data",
        "encoder.onnx",
        "encoder.onnx.data",
        "user_embeddings.npy",
        "item_embeddings.npy",
        "users.tsv",
        "items.tsv",
        "attention.csv",
        "metrics.json",
        "config.json",
        "curve.png",
        "history.json",
    }
    assert expected <= set(artifacts)
    import hashlib

    for name, e in artifacts.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == e["sha256"]
    assert np.load(out / "user_embeddings.npy").shape == (4, 8)
    assert (out / "users.tsv").read_text().splitlines()[1] == "0\talice"
    assert (out / "items.tsv").read_text().splitlines()[3] == "2\tsong-c\t1\tjazz"
    att = (out / "attention.csv").read_text().splitlines()
    assert att[0] == "a_id,b_id,attention,kept"
    assert len(att) == 1 + 2 * 3  # both directions of each friendship
    metrics = json.loads((out / "metrics.json").read_text())
    assert "test" in metrics and "validation" in metrics and "timings" in metrics
    done = ev[-1]["metrics"]
    assert done["test"]["recall@20"] == pytest.approx(metrics["test"]["recall@20"], abs=1e-6)

    # `evaluate` on the exported embeddings gives the same test figures
    r2 = run_cli("evaluate", "--run", str(out), "--snapshot", str(tiny_snapshot))
    assert r2.returncode == 0, r2.stderr
    again = events(r2.stdout)[-1]["metrics"]
    assert again["recall@20"] == pytest.approx(metrics["test"]["recall@20"], abs=1e-6)
    assert again["ndcg@10"] == pytest.approx(metrics["test"]["ndcg@10"], abs=1e-6)


@pytest.mark.parametrize("mode", ["foldin", "inplace"])
def test_holdout_users_are_folded_in_and_compared_with_mostpop(tiny_snapshot, tmp_path, mode):
    import io

    from tastegraph_trainer.config import TrainConfig
    from tastegraph_trainer.events import EventWriter
    from tastegraph_trainer.train import run

    cfg = TrainConfig(
        model="lightgcn",
        snapshot=str(tiny_snapshot),
        out=str(tmp_path / mode),
        epochs=2,
        eval_every=1,
        dim=4,
        layers=1,
        holdout_users=2,
        holdout_mode=mode,
        export=False,
    ).validate()
    m = run(cfg, EventWriter(io.StringIO()))
    h = m["holdout"]
    assert h["users"] == 2 and h["mode"] == mode
    assert 0.0 <= h["foldin"]["recall@20"] <= 1.0 and "recall@20" in h["mostpop"]
    assert ("trained" in h) == (mode == "inplace")
    # fold-in mode keeps the held-out users out of the main test figures
    assert m["test"]["users"] == (3 if mode == "inplace" else 1)


@pytest.mark.parametrize("negatives", ["uniform", "popularity", "hard"])
@pytest.mark.parametrize("model", ["mf", "lightgcn", "socialgcn"])
def test_every_model_trains_with_every_negative_sampler(tiny_snapshot, tmp_path, negatives, model):
    import io

    from tastegraph_trainer.config import TrainConfig
    from tastegraph_trainer.events import EventWriter
    from tastegraph_trainer.train import run

    cfg = TrainConfig(
        model=model,
        snapshot=str(tiny_snapshot),
        out=str(tmp_path / "o"),
        epochs=2,
        eval_every=1,
        dim=4,
        layers=2,
        negatives=negatives,
        hard_candidates=3,
        export=False,
    ).validate()
    buf = io.StringIO()
    m = run(cfg, EventWriter(buf))
    losses = [e["loss"] for e in map(__import__("json").loads, buf.getvalue().splitlines()) if e["event"] == "epoch"]
    assert len(losses) == 2 and all(0 < x < 10 for x in losses)
    assert m["test"]["users"] == 3


def test_lr_decay_lowers_the_learning_rate_when_validation_stalls(tiny_snapshot, tmp_path):
    import io

    from tastegraph_trainer.config import ConfigError, TrainConfig
    from tastegraph_trainer.events import EventWriter
    from tastegraph_trainer.train import run

    cfg = TrainConfig(
        model="lightgcn",
        snapshot=str(tiny_snapshot),
        out=str(tmp_path / "o"),
        epochs=12,
        eval_every=1,
        patience=100,
        dim=4,
        layers=1,
        lr=0.01,
        lr_decay=0.5,
        lr_decay_patience=1,
        export=False,
    ).validate()
    buf = io.StringIO()
    run(cfg, EventWriter(buf))
    lrs = [e["lr"] for e in map(json.loads, buf.getvalue().splitlines()) if e["event"] == "epoch"]
    assert len(lrs) == 12 and lrs[0] == pytest.approx(0.01)
    steps = [b / a for a, b in zip(lrs, lrs[1:])]
    assert all(s == pytest.approx(1.0) or s == pytest.approx(0.5) for s in steps)
    assert lrs[-1] < lrs[0]  # a tiny validation split cannot improve 12 times in a row
    with pytest.raises(ConfigError, match="--lr-decay"):
        TrainConfig(model="lightgcn", snapshot=str(tiny_snapshot), out=str(tmp_path / "p"), lr_decay=1.0).validate()


def test_negative_sampler_never_returns_a_training_positive():
    import numpy as np

    from tastegraph_trainer.sampling import NegativeSampler

    user = np.array([0, 0, 0, 1])
    item = np.array([0, 1, 2, 0])
    for mode in ("uniform", "popularity"):
        s = NegativeSampler(user, item, 4, mode, 0)
        neg = s.negatives(np.zeros(500, dtype=np.int64))
        assert set(neg.tolist()) == {3}  # user 0 has items 0, 1, 2: only 3 is a negative
        cand = s.negatives(np.ones(50, dtype=np.int64), 4)
        assert cand.shape == (50, 4) and 0 not in cand.tolist()


def test_uniform_negatives_are_uniform_over_the_users_complement():
    import numpy as np

    from tastegraph_trainer.sampling import NegativeSampler

    # user 0 has {0, 2, 5} of 8 items, user 1 has {7}, user 2 has {0..6}: complements {1, 3, 4, 6, 7}, {0..6}, {7}
    user = np.array([0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2])
    item = np.array([5, 0, 2, 7, 0, 1, 2, 3, 4, 5, 6])
    s = NegativeSampler(user, item, 8, "uniform", 3)
    for u, allowed in ((0, [1, 3, 4, 6, 7]), (1, list(range(7))), (2, [7])):
        draws = s.negatives(np.full(20000, u)).numpy()
        counts = np.bincount(draws, minlength=8)
        assert set(np.nonzero(counts)[0].tolist()) == set(allowed)
        share = counts[allowed] / len(draws)
        assert np.abs(share - 1 / len(allowed)).max() < 0.015  # ~4 standard errors at 20,000 draws


def test_sampler_epoch_covers_every_pair_once_and_repeats_with_the_seed():
    import numpy as np

    from tastegraph_trainer.sampling import NegativeSampler

    rng = np.random.default_rng(5)
    user = rng.integers(0, 30, 400)
    item = rng.integers(0, 50, 400)

    def one_epoch(seed):
        s = NegativeSampler(user, item, 50, "uniform", seed)
        return [tuple(x.numpy() for x in t) for t in s.epoch(64)]

    a, b, c = one_epoch(1), one_epoch(1), one_epoch(2)
    us = np.concatenate([x[0] for x in a])
    ps = np.concatenate([x[1] for x in a])
    ns = np.concatenate([x[2] for x in a])
    assert sorted(zip(us.tolist(), ps.tolist())) == sorted(zip(user.tolist(), item.tolist()))
    assert not set(zip(us.tolist(), ns.tolist())) & set(zip(user.tolist(), item.tolist()))
    assert all(np.array_equal(x, y) for xa, ya in zip(a, b) for x, y in zip(xa, ya))
    assert not all(np.array_equal(x[2], y[2]) for x, y in zip(a, c))


def test_a_run_resumed_from_its_checkpoint_ends_as_the_uninterrupted_run(tiny_snapshot, tmp_path):
    import io

    from tastegraph_trainer.config import ConfigError, TrainConfig
    from tastegraph_trainer.events import EventWriter
    from tastegraph_trainer.train import run

    def train(out, epochs, **extra):
        settings = dict(
            model="lightgcn",
            snapshot=str(tiny_snapshot),
            out=str(out),
            epochs=epochs,
            eval_every=2,
            patience=100,
            dim=4,
            layers=2,
            lr=0.01,
            lr_decay=0.5,
            lr_decay_patience=1,
            val_fraction=0.34,
            export=False,
            friends_beta="off",
        )
        cfg = TrainConfig(**{**settings, **extra}).validate()
        buf = io.StringIO()
        metrics = run(cfg, EventWriter(buf))
        return metrics, [json.loads(line) for line in buf.getvalue().splitlines()]

    whole, whole_ev = train(tmp_path / "whole", 9)
    train(tmp_path / "split", 4, checkpoint_every=3)
    assert (tmp_path / "split" / "checkpoint.pt").exists()  # written at epoch 3 and again where it stopped (4)
    rest, rest_ev = train(tmp_path / "split", 9, checkpoint_every=2, resume=True)
    kinds = [e["event"] for e in rest_ev]
    assert kinds.count("resumed") == 1 and kinds.count("epoch") == 5  # epochs 5..9 only
    assert next(e for e in rest_ev if e["event"] == "resumed")["epoch"] == 4
    assert rest["best_epoch"] == whole["best_epoch"]
    assert rest["test"] == whole["test"] and rest["validation"] == whole["validation"]
    losses = lambda ev: [e["loss"] for e in ev if e["event"] == "epoch"]  # noqa: E731
    assert losses(rest_ev) == losses(whole_ev)[4:]
    assert rest["timings"]["epochs_run"] == 9
    with pytest.raises(ConfigError, match=r"--resume: .* other settings \(lr 0.01 -> 0.02\)"):
        train(tmp_path / "split", 12, checkpoint_every=2, resume=True, lr=0.02)
    (tmp_path / "split" / "checkpoint.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ConfigError, match="cannot be read"):
        train(tmp_path / "split", 12, resume=True)


class _RunsOnLoad:
    """A pickled object whose unpickling would run a command (what a tampered checkpoint can carry)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_checkpoint_carrying_an_arbitrary_pickled_object_is_refused_and_never_run(tmp_path):
    import torch

    from tastegraph_trainer import checkpoint
    from tastegraph_trainer.config import ConfigError, TrainConfig

    cfg = TrainConfig(model="lightgcn", snapshot=str(tmp_path), out=str(tmp_path))
    path = tmp_path / checkpoint.CHECKPOINT
    marker = tmp_path / "ran"
    torch.save({"config": cfg.to_dict(), "device_type": "cpu", "epoch": 1, "payload": _RunsOnLoad(marker)}, path)
    with pytest.raises(ConfigError, match="cannot be read"):
        checkpoint.load(path, cfg, torch.device("cpu"))
    assert not marker.exists()


def test_refit_keeps_training_the_selected_model_on_every_training_pair(tiny_snapshot, tmp_path, monkeypatch):
    import io

    from tastegraph_trainer.config import ConfigError, TrainConfig
    from tastegraph_trainer.events import EventWriter
    from tastegraph_trainer.prepare import load_data, prepare, with_validation
    from tastegraph_trainer.train import run

    def train(out, **extra):
        settings = dict(
            model="lightgcn",
            snapshot=str(tiny_snapshot),
            out=str(out),
            epochs=6,
            eval_every=2,
            patience=100,
            dim=4,
            layers=2,
            lr=0.01,
            val_fraction=0.34,
            friends_beta="off",
        )
        cfg = TrainConfig(**{**settings, **extra}).validate()
        buf = io.StringIO()
        return cfg, run(cfg, EventWriter(buf)), [json.loads(line) for line in buf.getvalue().splitlines()]

    _, plain, _ = train(tmp_path / "plain")
    cfg, refit, ev = train(tmp_path / "refit", refit_epochs=3)
    r = refit["refit"]
    # selection is untouched: the selected model's test metrics are the plain run's
    assert r["test_selected"] == plain["test"] and refit["validation"] == plain["validation"]
    # the refit trains on the fit pairs plus the validation pairs: every training pair
    prep = prepare(load_data(cfg), cfg)
    full = with_validation(prep)
    assert r["pairs"] == len(prep.data.train_user) == len(prep.fit_user) + len(prep.val_user)
    pairs = lambda u, i: sorted(zip(u.tolist(), i.tolist()))  # noqa: E731
    assert pairs(full.fit_user, full.fit_item) == pairs(prep.data.train_user, prep.data.train_item)
    assert full.item_degree_fit.sum() == len(prep.data.train_user)
    # three more epochs, numbered after the selection run's, at the best epoch's learning rate
    refit_epochs = [e for e in ev if e["event"] == "epoch" and e.get("phase") == "refit"]
    assert [e["epoch"] for e in refit_epochs] == [7, 8, 9] and r["lr"] == 0.01
    # and it moved: the served embeddings are not the selected ones
    assert not np.allclose(
        np.load(tmp_path / "refit" / "user_embeddings.npy"), np.load(tmp_path / "plain" / "user_embeddings.npy")
    )
    # with a learning rate of ~0 the refit model is the selected weights over the full graph
    _, still, _ = train(tmp_path / "still", refit_epochs=1, refit_lr=1e-12)
    assert still["test"]["recall@20"] == pytest.approx(still["refit"]["test_full_graph"]["recall@20"], abs=1e-9)
    assert still["test"]["ndcg@20"] == pytest.approx(still["refit"]["test_full_graph"]["ndcg@20"], abs=1e-9)
    # friends' picks get their weight on validation before the refit; after it, no validation figure
    _, social, sev = train(tmp_path / "blend", refit_epochs=2, friends_beta="auto")
    blends = [e for e in sev if e["event"] == "friends_blend"]
    assert len(blends) == 2 and blends[0]["validation"] is not None and blends[1]["validation"] is None
    assert blends[1]["beta"] == blends[0]["beta"] == social["refit"]["friends_beta"]
    # SocialGCN: the weight is picked counting only the friends its attention filter keeps, as serving counts them
    import tastegraph_trainer.blend as blend_module

    masks = []
    blend = blend_module.friends_blend

    def spy(prep, model, uv, iv, keep_mask, *args, **kwargs):
        masks.append(None if keep_mask is None else keep_mask.copy())
        return blend(prep, model, uv, iv, keep_mask, *args, **kwargs)

    monkeypatch.setattr(blend_module, "friends_blend", spy)
    train(tmp_path / "social", model="socialgcn", refit_epochs=1, friends_beta="auto", attention_topk=1)
    assert len(masks) == 2 and all(m is not None and 0 < m.sum() < len(m) for m in masks)
    with pytest.raises(ConfigError, match="--refit-epochs: supported for mf, lightgcn"):
        train(tmp_path / "gcn", model="gcn", refit_epochs=2)


def test_eval_users_ranks_a_sample_and_refuses_a_negative_count(tiny_snapshot, tmp_path):
    """--eval-users n: validation and test are figures over at most n users (issue #23: ranking costs users x items)."""
    out = tmp_path / "o"
    args = (
        "train",
        "--model",
        "mf",
        "--snapshot",
        str(tiny_snapshot),
        "--out",
        str(out),
        "--epochs",
        "1",
        "--no-export",
    )
    r = run_cli(*args, "--dim", "8", "--eval-every", "1", "--friends-beta", "off", "--eval-users", "1")
    assert r.returncode == 0, r.stderr
    metrics = events(r.stdout)[-1]["metrics"]
    assert metrics["test"]["users"] == 1 and metrics["validation"]["users"] <= 1
    bad = run_cli(*args, "--eval-users", "-1")
    assert bad.returncode == 2 and "--eval-users" in bad.stderr
