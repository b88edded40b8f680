"""Model-zoo comparison report, run by the Node bench runner as `npm run bench -- zoo [options]`
(or directly: `models/.venv/bin/python bench/zoo.py [options]`).

Trains MostPop, MF, LightGCN, SocialGCN, NGCF, GCN, GAT, GraphSAGE (mean, max-pool) and PinSage
on lastfm under a per-model CPU budget (`--budget-minutes`, default 2.5), runs the over-smoothing
study, writes docs/report/README.md + PNGs + results.json, and ends with ONE JSON line on stdout.
Options: `models/.venv/bin/python bench/zoo.py --help`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))

from tastegraph_trainer.experiments.report import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
