"""Command line: `python -m tastegraph_trainer {train,evaluate,bench,report,slices,...} ...`."""

from __future__ import annotations

import argparse
import os
import sys

from .arguments import add_train_arguments, config_from_args
from .config import ConfigError
from .data import DataError

EXIT_BAD_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tastegraph_trainer",
        description="TasteGraph recommender trainer. "
        "Events as JSON lines on stdout, logs on stderr; exit code 2 = bad configuration.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="train a model, evaluate it on the test split and export the artifacts")
    add_train_arguments(tr)
    ev = sub.add_parser("evaluate", help="evaluate exported embeddings of a run folder on a dataset's test split")
    ev.add_argument(
        "--run", required=True, metavar="DIR", help="run folder with user_embeddings.npy and item_embeddings.npy"
    )
    src = ev.add_mutually_exclusive_group(required=True)
    src.add_argument("--snapshot", metavar="DIR")
    src.add_argument("--dataset", choices=("lastfm", "ciao", "gowalla"))
    ev.add_argument("--data-dir", metavar="DIR")
    probe = sub.add_parser(
        "social-probe",
        help="what a trained run's friendships add at scoring time (friends' items "
        "alone, blended with the model, friends' embeddings added), weights chosen on validation",
    )
    from .experiments.social_probe import add_probe_arguments

    add_probe_arguments(probe)
    cur = sub.add_parser(
        "curves", help="several runs' validation Recall@20 per epoch in one PNG, from their event logs"
    )
    from .curves import add_curves_arguments

    add_curves_arguments(cur)
    bench = sub.add_parser(
        "bench",
        help="CPU benchmark: LightGCN and SocialGCN on lastfm (and, on a GPU, gowalla ours vs PyG), one JSON line at the end",
    )
    from .experiments.bench import add_bench_arguments

    add_bench_arguments(bench)
    rep = sub.add_parser(
        "report",
        help="the model-zoo comparison: every model under one budget, Markdown + PNG "
        "into docs/report, one JSON line at the end",
    )
    from .experiments.report import add_report_arguments

    add_report_arguments(rep)
    sl = sub.add_parser(
        "slices",
        help="per-slice comparison of several models over seeds from their event logs: Markdown, JSON and PNG",
    )
    from .experiments.slice_table import add_slices_arguments

    add_slices_arguments(sl)
    return p


def quiet_openmp_waits() -> None:
    """Idle OpenMP threads sleep instead of spinning; must run before torch is imported.

    Measured on the 2-core machine while other processes ran (models/README.md, "Measured"):
    with the default spin-wait, 2 threads took 1.15-1.25 s per LightGCN step (4096 pairs) on
    lastfm; with PASSIVE, 0.10-0.21 s. An explicit setting in the environment wins.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def main(argv: list[str] | None = None) -> int:
    quiet_openmp_waits()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            cfg = config_from_args(args)  # before importing torch: a bad flag fails in milliseconds
            from .train import run

            run(cfg)
        elif args.command == "evaluate":
            from .evaluate_cmd import run_evaluate

            run_evaluate(args)
        elif args.command == "social-probe":
            from .experiments.social_probe import run_probe

            run_probe(args)
        elif args.command == "curves":
            from .curves import run_curves

            run_curves(args)
        elif args.command == "bench":
            from .experiments.bench import run_bench

            run_bench(args)
        elif args.command == "slices":
            import json

            from .experiments.slice_table import run_slices

            print(json.dumps(run_slices(args)))
        elif args.command == "report":
            from .experiments.report import run_report

            given = list(argv if argv is not None else sys.argv[1:])[1:]
            args.command_line = " ".join(["models/.venv/bin/python -m tastegraph_trainer report", *given])
            run_report(args)
    except (ConfigError, DataError) as e:
        # Retrying cannot help: the processor reads exit code 2 as "do not retry".
        print(f"configuration error: {e}", file=sys.stderr)
        return EXIT_BAD_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(main())
