"""Training benchmark, run by the Node bench runner as `models/.venv/bin/python bench/train.py [options]`.

Trains LightGCN and SocialGCN on lastfm on the CPU (progress on stderr) and ends with ONE JSON
line on stdout. When a GPU is visible (or with --compare-device cpu), also LightGCN on gowalla,
ours vs PyTorch Geometric's (`gowalla_vs_pyg` in the line; `--only-compare` runs only that part;
models/README.md, "GPU benchmark"). Options: `models/.venv/bin/python bench/train.py --help`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))

from tastegraph_trainer.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
