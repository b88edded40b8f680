"""Plots the cost curve of `npm run bench -- scale` (its JSON line) into a PNG.

    models/.venv/bin/python bench/plot_scale.py var/bench-scale.jsonl docs/report/scale-cost.png

Left: import, snapshot export and one training epoch (seconds) against edges; right: serving
compute per request (p50, ms) exact and with the ANN index against items. Log-log axes, so a
straight line's slope is the cost's exponent.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main() -> None:
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf8") as f:
        lines = [json.loads(line) for line in f if line.startswith("{")]
    run = [r for r in lines if r.get("bench") == "scale"][-1]
    rungs = run["rungs"]
    edges = [r["counts"]["interactions"] + r["counts"]["friendships"] for r in rungs]
    items = [r["counts"]["items"] for r in rungs]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    for label, key in (
        ("import", ("import", "seconds")),
        ("export", ("export", "seconds")),
        ("epoch", ("train", "epochS")),
    ):
        ys = [r[key[0]][key[1]] for r in rungs]
        pts = [(x, y) for x, y in zip(edges, ys) if y]
        if pts:
            a.plot(*zip(*pts), marker="o", label=label)
    a.set(
        xscale="log",
        yscale="log",
        xlabel="edges (interactions + friendships)",
        ylabel="seconds",
        title="graph costs",
    )
    a.legend()
    for label, key in (
        ("exact p50", "exactP50Ms"),
        ("ANN p50", "annP50Ms"),
        ("ANN p99", "annP99Ms"),
    ):
        b.plot(items, [r["serving"][key] for r in rungs], marker="o", label=label)
    b.set(
        xscale="log",
        yscale="log",
        xlabel="items",
        ylabel="ms per request (compute)",
        title="serving compute",
    )
    b.legend()
    fig.suptitle(
        "scale ladder, 2-core box shared with other agents (timings inflated by their load)"
    )
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
