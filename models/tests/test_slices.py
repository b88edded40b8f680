"""Per-slice evaluation (issue #26): buckets, friend counts, the bootstrap interval and the report, with values
computed by hand."""

import json
import math

import numpy as np
import pytest
import torch

from tastegraph_trainer.evaluation import evaluate, make_eval_set
from tastegraph_trainer.slices import (
    FRIEND_BUCKETS,
    INTERACTION_BUCKETS,
    bootstrap_ci,
    bucketize,
    friend_counts,
    slice_report,
    user_slices,
)


def test_interaction_buckets_have_inclusive_upper_bounds():
    b = bucketize(np.array([1, 5, 6, 20, 21, 50, 51, 400]), INTERACTION_BUCKETS)
    assert b.names == ("1-5", "6-20", "21-50", "50+")
    assert b.labels.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]


def test_friend_buckets_put_zero_friends_apart():
    b = bucketize(np.array([0, 1, 5, 6, 20, 21]), FRIEND_BUCKETS)
    assert b.names == ("0", "1-5", "6-20", "20+")
    assert b.labels.tolist() == [0, 1, 1, 2, 2, 3]


def test_friend_counts_count_distinct_undirected_friends():
    # 0-1 listed both ways and twice, 0-2 once, a self pair 3-3 ignored; user 4 has none
    a = np.array([0, 1, 0, 0, 3])
    b = np.array([1, 0, 1, 2, 3])
    assert friend_counts(a, b, 5).tolist() == [2, 1, 1, 0, 0]
    assert friend_counts(np.zeros(0, np.int64), np.zeros(0, np.int64), 3).tolist() == [0, 0, 0]


def test_sparse_with_friends_needs_both_conditions():
    rows = np.array([3, 3, 10, 5])
    friends = np.array([2, 0, 4, 1])
    s = user_slices(rows, friends)["sparse_with_friends"]
    assert s.labels.tolist() == [0, -1, -1, 0]


def test_bootstrap_of_a_constant_is_the_constant_and_of_nothing_is_nan():
    assert bootstrap_ci(np.full(7, 0.25)).tolist() == [0.25, 0.25]
    assert np.isnan(bootstrap_ci(np.zeros(0))).all()


def test_bootstrap_matches_a_loop_with_the_same_seed_and_covers_the_mean():
    rng = np.random.default_rng(3)
    v = rng.random(50)
    lo, hi = bootstrap_ci(v, resamples=200, seed=11)
    # the same draws, one resample at a time (one chunk: 200 * 50 indices)
    idx = np.random.default_rng(11).integers(0, 50, size=(200, 50))
    means = np.array([v[row].mean() for row in idx])
    assert lo == pytest.approx(np.quantile(means, 0.025))
    assert hi == pytest.approx(np.quantile(means, 0.975))
    assert lo < v.mean() < hi
    # two metrics resampled together give each metric's own interval
    both = bootstrap_ci(np.stack([v, 2 * v]), resamples=200, seed=11)
    assert both[1].tolist() == pytest.approx([2 * lo, 2 * hi])


def test_slice_report_by_hand():
    # three users, K=2: user 0 hits at position 0 of 2 relevant; user 1 hits at position 1 of 1; user 2 none
    hits = np.array([[1, 0], [0, 1], [0, 0]], dtype=float)
    n_rel = np.array([2, 1, 3])
    labels = np.array([0, 0, 1])
    rep = slice_report(hits, n_rel, labels, ("a", "b", "empty"), k=2)
    ndcg0 = 1.0 / (1.0 + 1.0 / math.log2(3))
    ndcg1 = (1.0 / math.log2(3)) / 1.0
    assert rep["a"]["users"] == 2
    assert rep["a"]["recall@2"] == pytest.approx((0.5 + 1.0) / 2)
    assert rep["a"]["ndcg@2"] == pytest.approx((ndcg0 + ndcg1) / 2)
    lo, hi = rep["a"]["recall@2_ci"]
    assert 0.5 <= lo <= 0.75 <= hi <= 1.0  # a mean of two values lies between them
    assert rep["b"] == {"users": 1, "recall@2": 0.0, "recall@2_ci": [0.0, 0.0], "ndcg@2": 0.0, "ndcg@2_ci": [0.0, 0.0]}
    assert rep["empty"] == {"users": 0}


def test_evaluate_writes_the_buckets_of_the_evaluated_users():
    # 3 users, 4 items; scores rank items 0 > 1 > 2 > 3 for every user; user 1 has item 0 in training (masked)
    items = torch.tensor([[4.0], [3.0], [2.0], [1.0]])
    users = torch.ones(3, 1)
    es = make_eval_set(
        truth_user=np.array([0, 1, 2]),
        truth_item=np.array([0, 3, 1]),
        mask_user=np.array([1]),
        mask_item=np.array([0]),
        n_users=3,
        n_items=4,
    )
    groups = user_slices(train_rows=np.array([1, 30, 8]), n_friends=np.array([0, 3, 0]))
    res = evaluate(users, items, es, ks=(2, 20), slices=groups)
    # top-20 (all 4 items, minus masked): user 0 hits item 0 at 0; user 1 ranks 1,2,3 -> item 3 at 2; user 2 item 1 at 1
    by_i = res["by_interactions"]
    assert by_i["1-5"]["users"] == 1 and by_i["1-5"]["recall@20"] == 1.0 and by_i["1-5"]["ndcg@20"] == 1.0
    assert by_i["6-20"]["ndcg@20"] == pytest.approx(1 / math.log2(3))
    assert by_i["21-50"]["ndcg@20"] == pytest.approx(1 / math.log2(4))
    assert by_i["50+"] == {"users": 0}
    assert res["by_friends"]["0"]["users"] == 2
    assert res["by_friends"]["1-5"]["recall@20"] == 1.0
    assert res["sparse_with_friends"]["<=5 & friends>=1"] == {"users": 0}


def _metrics(r_overall, r_sparse, r_rows, refit=None):
    """A run's metrics as the trainer writes them, with one bucket per group (ci: +-0.01)."""

    def cell(users, r):
        return {
            "users": users,
            "recall@20": r,
            "recall@20_ci": [r - 0.01, r + 0.01],
            "ndcg@20": r / 2,
            "ndcg@20_ci": [r / 2 - 0.01, r / 2 + 0.01],
        }

    test = {
        "recall@20": r_overall,
        "ndcg@20": r_overall / 2,
        "by_interactions": {"1-5": cell(150, r_rows), "6-20": cell(20, r_rows)},
        "by_friends": {"0": cell(170, r_overall)},
        "sparse_with_friends": {"<=5 & friends>=1": cell(40, r_sparse)},
    }
    m = {"test": test}
    if refit is not None:
        m = {"test": {**test, "recall@20": refit}, "refit": {"test_selected": test}}
    return m


def test_slice_table_aggregates_seeds_and_checks_the_targets(tmp_path):
    from tastegraph_trainer.experiments.slice_table import aggregate, load_runs, render, targets

    for seed, (lg, sg) in {1: (0.10, 0.11), 2: (0.12, 0.13)}.items():
        for model, r, sparse, rows in (("lightgcn", lg, 0.05, 0.20), ("denoisegcn", sg, 0.06, 0.10)):
            done = {"event": "done", "metrics": _metrics(r, sparse, rows, refit=r + 0.01)}
            (tmp_path / f"ciao-{model}-s{seed}.jsonl").write_text('{"event": "started"}\n' + json.dumps(done) + "\n")
    runs = load_runs(tmp_path, "ciao", ["lightgcn", "denoisegcn", "socialgcn"])
    assert sorted(runs["lightgcn"]) == [1, 2] and runs["socialgcn"] == {}
    agg = aggregate(runs)
    lg = agg["lightgcn"]["selected"]["overall"]["recall@20"]
    assert lg["mean"] == pytest.approx(0.11) and lg["sd"] == pytest.approx(np.std([0.10, 0.12], ddof=1))
    assert agg["lightgcn"]["refit"]["overall"]["recall@20"]["mean"] == pytest.approx(0.12)
    assert agg["denoisegcn"]["selected"]["by_interactions"]["1-5"]["recall@20_ci"] == pytest.approx([0.09, 0.11])
    t = targets(agg, "lightgcn")["denoisegcn"]
    assert t["overall_ratio"] == pytest.approx(0.12 / 0.11) and t["overall_met"]
    assert t["sparse_ratio"] == pytest.approx(0.06 / 0.05) and t["sparse_met"] and t["sparse_users"] == 40
    # rows 1-5 (150 users) is 0.10 worse with no seed spread; rows 6-20 has < 100 users and does not count
    assert len(t["worse_slices"]) == 1 and t["worse_slices"][0].startswith("training rows 1-5: -0.1000")
    assert t["no_worse_met"] is False
    one = aggregate({m: {1: seeds[1]} for m, seeds in runs.items() if seeds})
    assert targets(one, "lightgcn")["denoisegcn"]["no_worse_met"] is None  # no seed spread on one seed
    md = render("ciao", agg, targets(agg, "lightgcn"), "lightgcn")
    assert "| denoisegcn | 1,2 | 0.1200 ± 0.0141" in md and "not met" not in md.split("overall")[-1].split(";")[0]


def test_zoo_report_renders_a_slice_row_per_model():
    from tastegraph_trainer.experiments.report_render import slice_lines

    slices = {k: v for k, v in _metrics(0.1, 0.05, 0.2)["test"].items() if k.startswith(("by_", "sparse"))}
    lines = slice_lines([{"label": "LightGCN", "slices": slices}])
    assert lines[2].startswith("| model | rows 1-5 (150) | rows 6-20 (20) | friends 0 (170) | sparse")
    assert (
        lines[4]
        == "| LightGCN | 0.2000 [0.1900, 0.2100] | 0.2000 [0.1900, 0.2100] | 0.1000 [0.0900, 0.1100] | 0.0500 [0.0400, 0.0600] |"
    )
