"""Per-slice evaluation (issue #26): buckets, friend counts, the bootstrap interval and the report, with values
computed by hand."""

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
