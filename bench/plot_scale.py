"""Plots the cost curve of `npm run bench -- scale` (its JSON line) into a PNG.

    models/.venv/bin/python bench/plot_scale.py var/bench-scale.jsonl docs/report/scale-cost.png

Left: import, snapshot export and one training epoch (seconds) against edges; middle: serving
compute per request (p50, ms) exact and with the ANN index against items; right: HTTP latency at the
bench's request rate (p50 and p99, exact and ANN) against items, when the run measured it. Log-log
axes, so a straight line's slope is the cost's exponent.
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
    http = [r for r in rungs if r.get("http")]
    fig, axes = plt.subplots(1, 3 if http else 2, figsize=(15 if http else 10, 4))
    a, b = axes[0], axes[1]
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
    if http:
        c = axes[2]
        xs = [r["counts"]["items"] for r in http]
        for arm in ("exact", "ann"):
            for q in ("p50Ms", "p99Ms"):
                c.plot(xs, [r["http"][arm][q] for r in http], marker="o", label=f"{arm} {q[:3]}")
        c.set(
            xscale="log",
            yscale="log",
            xlabel="items",
            ylabel="ms (HTTP, GraphQL recommendations)",
            title=f"serving at {http[0]['http']['rate']} requests/s",
        )
        c.legend()
    fig.suptitle(f"scale ladder, 2-core box, load average {run.get('loadAverage1m', '?')} at the end")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
