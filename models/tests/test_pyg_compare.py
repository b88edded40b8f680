"""The gowalla comparison with PyTorch Geometric's LightGCN (bench `gowalla_vs_pyg`), on a tiny graph on the CPU."""

import argparse
import math

import numpy as np
import pytest
import torch

from tastegraph_trainer.data import load_gowalla
from tastegraph_trainer.experiments import pyg_compare
from tastegraph_trainer.experiments.bench import add_bench_arguments

needs_pyg = pytest.mark.skipif(
    not pyg_compare.pyg_available(), reason="torch_geometric not installed (pip install -e 'models[pyg]')"
)


def write_tiny_gowalla(root, n_users=40, n_items=30, seed=0):
    """A gowalla-format folder: each user 6-10 training items (train.txt, valid.txt) and 2 test items."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    lines = {"train.txt": [], "valid.txt": [], "test.txt": []}
    for u in range(n_users):
        items = rng.choice(n_items, size=int(rng.integers(8, 13)), replace=False)
        split = {"train.txt": items[:-4], "valid.txt": items[-4:-2], "test.txt": items[-2:]}
        for name, its in split.items():
            lines[name].append(f"{u} {' '.join(map(str, its.tolist()))}")
    for name, ls in lines.items():
        (root / name).write_text("\n".join(ls) + "\n")
    return root


def bench_args(*argv):
    p = argparse.ArgumentParser()
    add_bench_arguments(p)
    return p.parse_args(list(argv))


@needs_pyg
def test_both_sides_train_and_evaluate_on_a_tiny_graph(tmp_path):
    data_dir = write_tiny_gowalla(tmp_path / "gowalla")
    r = pyg_compare.compare_gowalla(
        data_dir, tmp_path / "out", device="cpu", epochs=2, batch_size=64, lr=5e-3, seed=3, threads=1
    )
    assert r["device"] == "cpu" and r["epochs"] == 2
    assert r["settings"]["batches_per_epoch"] == math.ceil(r["settings"]["fit_pairs"] / 64)
    for side in ("ours", "pyg"):
        s = r[side]
        assert len(s["epoch_s"]) == 2
        assert math.isfinite(s["s_per_epoch"]) and s["s_per_epoch"] > 0
        for k in ("recall@20", "ndcg@20"):
            assert 0.0 <= s[k] <= 1.0
    assert math.isfinite(r["speedup_per_epoch"]) and r["speedup_per_epoch"] > 0
    assert isinstance(r["target_met"], bool)


@needs_pyg
def test_bench_section_cpu_forced_with_a_user_subsample(tmp_path):
    data_dir = write_tiny_gowalla(tmp_path / "gowalla", n_users=60)
    args = bench_args(
        "--compare-device",
        "cpu",
        "--compare-epochs",
        "1",
        "--compare-max-users",
        "25",
        "--compare-data-dir",
        str(data_dir),
        "--batch-size",
        "64",
        "--threads",
        "1",
    )
    r = pyg_compare.bench_section(args, tmp_path / "out")
    assert r["settings"]["users"] == 25 and r["settings"]["max_users"] == 25
    assert len(r["ours"]["epoch_s"]) == len(r["pyg"]["epoch_s"]) == 1


def test_subsample_keeps_whole_users_and_renumbers(tmp_path):
    src = write_tiny_gowalla(tmp_path / "gowalla", n_users=50)
    full = load_gowalla(src)
    sub = load_gowalla(pyg_compare.subsample_gowalla(src, tmp_path / "sub", 10, seed=1))
    assert sub.n_users == 10
    assert len(np.unique(np.concatenate([sub.train_item, sub.test_item]))) == sub.n_items
    assert len(sub.train_user) + len(sub.test_user) < len(full.train_user) + len(full.test_user)
    # every kept user keeps all of its rows: 8-12 per user in all
    rows = np.bincount(sub.train_user, minlength=10) + np.bincount(sub.test_user, minlength=10)
    assert rows.min() >= 8 and rows.max() <= 12


def test_skipped_without_a_gpu_or_without_torch_geometric(tmp_path, monkeypatch):
    if not torch.cuda.is_available():
        assert pyg_compare.bench_section(bench_args(), tmp_path) == {"skipped": "no GPU visible"}
    assert pyg_compare.bench_section(bench_args("--compare-device", "off"), tmp_path) == {
        "skipped": "--compare-device off"
    }
    monkeypatch.setattr(pyg_compare, "pyg_available", lambda: False)
    assert pyg_compare.bench_section(bench_args("--compare-device", "cpu"), tmp_path) == {
        "skipped": "torch_geometric not installed (pip install torch_geometric)"
    }
