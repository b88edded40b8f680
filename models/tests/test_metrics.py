import math

import numpy as np
import pytest

from tastegraph_trainer.metrics import hit_matrix, hit_rate_at_k, ndcg_at_k, precision_at_k, recall_at_k, summarize


def test_hand_computed_user_with_three_relevant_items():
    # ranked list positions 0..4, hits at positions 0 and 2; the user has 3 relevant items
    hits = np.array([[1, 0, 1, 0, 0]], dtype=float)
    n_rel = np.array([3])
    assert recall_at_k(hits, n_rel, 5)[0] == pytest.approx(2 / 3)
    assert recall_at_k(hits, n_rel, 1)[0] == pytest.approx(1 / 3)
    assert precision_at_k(hits, 5)[0] == pytest.approx(2 / 5)
    assert hit_rate_at_k(hits, 2)[0] == 1.0
    dcg = 1 / math.log2(2) + 1 / math.log2(4)
    idcg = 1 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(hits, n_rel, 5)[0] == pytest.approx(dcg / idcg)


def test_ndcg_ideal_list_is_capped_at_k_and_recall_uses_full_test_length():
    hits = np.array([[1, 1]], dtype=float)
    n_rel = np.array([10])  # more relevant items than K
    assert ndcg_at_k(hits, n_rel, 2)[0] == pytest.approx(1.0)
    assert recall_at_k(hits, n_rel, 2)[0] == pytest.approx(0.2)


def test_user_without_hits_scores_zero_everywhere():
    hits = np.zeros((1, 4))
    n_rel = np.array([2])
    assert recall_at_k(hits, n_rel, 4)[0] == 0
    assert ndcg_at_k(hits, n_rel, 4)[0] == 0
    assert hit_rate_at_k(hits, 4)[0] == 0


def test_hit_matrix_and_macro_average():
    n_items = 10
    users = np.array([0, 1])
    truth = np.unique(np.array([0 * n_items + 3, 0 * n_items + 5, 1 * n_items + 9]))
    top = np.array([[5, 1], [2, 3]])  # user 1 ranks item 3, which is user 0's, not user 1's
    hits = hit_matrix(top, users, truth, n_items)
    assert hits.tolist() == [[1.0, 0.0], [0.0, 0.0]]
    s = summarize(hits, np.array([2, 1]), ks=(1, 2))
    assert s["users"] == 2
    assert s["recall@2"] == pytest.approx((0.5 + 0.0) / 2)
    assert s["hit_rate@1"] == pytest.approx(0.5)
    assert s["precision@2"] == pytest.approx((0.5 + 0) / 2)
