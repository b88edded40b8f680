import os
from pathlib import Path

# Before torch is imported: idle OpenMP threads sleep instead of spinning (see cli.quiet_openmp_waits).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def datasets_dir() -> Path:
    return Path(os.environ.get("TASTEGRAPH_DATASETS", REPO_ROOT.parent / "shared" / "datasets"))


@pytest.fixture
def dataset_dir():
    def get(name: str) -> Path:
        d = datasets_dir() / name
        if not d.is_dir():
            pytest.skip(f"dataset folder {d} is missing (set TASTEGRAPH_DATASETS)")
        return d

    return get


def write_tiny_snapshot(root: Path) -> Path:
    """4 users, 5 items, a few train/test/none interactions and 3 friendships (one without overlap)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "meta.json").write_text(
        '{"format": "tastegraph-snapshot/1", "createdAt": "2026-11-27T05:00:00Z", '
        '"counts": {"users": 4, "items": 5, "interactions": 11, "friendships": 3}, '
        '"eventWeights": {"view": 1, "like": 3}}'
    )
    (root / "users.tsv").write_text("index\tid\n0\talice\n1\tbob\n2\tcarol\n3\tdave\n")
    (root / "items.tsv").write_text(
        "index\tid\thidden\ttags\n0\tsong-a\t0\trock|indie\n1\tsong-b\t0\t\n2\tsong-c\t1\tjazz\n3\tsong-d\t0\tpop\n4\tsong-e\t0\t\n"
    )
    (root / "interactions.csv").write_text(
        "user,item,weight,count,first_ts,last_ts,split\n"
        "0,0,3.0,2,1700000000000,1700000500000,train\n"
        "0,1,1.0,1,1700000000000,1700000000000,none\n"
        "0,3,1.0,1,1700000000000,1700000000000,test\n"
        "1,0,1.0,1,1700000000000,1700000000000,train\n"
        "1,2,2.5,1,1700000000000,1700086400000,train\n"
        "1,4,1.0,1,1700000000000,1700000000000,test\n"
        "2,1,1.0,1,1700000000000,1700000000000,train\n"
        "2,3,1.0,1,1700000000000,1700000000000,train\n"
        "2,4,1.0,1,1700000000000,1700000000000,none\n"
        "2,0,1.0,1,1700000000000,1700000000000,test\n"
        "3,4,1.0,1,1700000000000,1700000000000,train\n"
    )
    (root / "friendships.csv").write_text("a,b,overlap\n0,1,0.5\n1,2,\n2,3,0.0\n")
    return root


@pytest.fixture
def tiny_snapshot(tmp_path):
    return write_tiny_snapshot(tmp_path / "snapshot")
