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


def test_top_k_batches_shrink_with_the_catalogue_and_answers_do_not_change(monkeypatch):
    """Ranking never holds more than SCORE_BUDGET scores: the user batch shrinks as items grow (issue #23)."""
    import torch

    from tastegraph_trainer import evaluation
    from tastegraph_trainer.evaluation import make_eval_set, top_k_items

    rng = np.random.default_rng(0)
    n_users, n_items = 50, 400
    users_v = torch.as_tensor(rng.normal(size=(n_users, 8)), dtype=torch.float32)
    items_v = torch.as_tensor(rng.normal(size=(n_items, 8)), dtype=torch.float32)
    es = make_eval_set(
        np.arange(n_users),
        rng.integers(0, n_items, n_users),
        np.arange(n_users),
        rng.integers(0, n_items, n_users),
        n_users,
        n_items,
    )
    whole = top_k_items(users_v, items_v, es.users, es, 20, batch=1024)
    seen: list[int] = []

    def scores(b: np.ndarray) -> torch.Tensor:
        seen.append(len(b))
        return users_v[torch.as_tensor(b)] @ items_v.T

    monkeypatch.setattr(evaluation, "SCORE_BUDGET", 7 * n_items + 5)  # room for 7 users' scores
    capped = top_k_items(users_v, items_v, es.users, es, 20, batch=1024, scores_fn=scores)
    assert max(seen) == 7 and sum(seen) == len(es.users)
    assert np.array_equal(whole, capped)


def test_eval_users_samples_a_seeded_subset_and_keeps_everything_else():
    """--eval-users: at most n evaluated users, the same ones for the same seed; 0 or a larger n keeps all (issue #23)."""
    from tastegraph_trainer.evaluation import make_eval_set, sample_users

    rng = np.random.default_rng(1)
    n_users, n_items = 300, 50
    es = make_eval_set(
        np.repeat(np.arange(0, n_users, 2), 2),  # every other user has two relevant rows
        rng.integers(0, n_items, n_users),
        np.arange(n_users),
        rng.integers(0, n_items, n_users),
        n_users,
        n_items,
    )
    assert len(es.users) == 150
    assert sample_users(es, 0, 5) is es and sample_users(es, 150, 5) is es
    a, b, c = sample_users(es, 40, 5), sample_users(es, 40, 5), sample_users(es, 40, 6)
    assert len(a.users) == 40 and set(a.users) <= set(es.users)
    assert np.array_equal(a.users, b.users) and not np.array_equal(a.users, c.users)
    assert np.all(np.diff(a.users) > 0)  # ascending, as every EvalSet
    assert np.all(a.n_relevant == 2)
    assert a.truth_keys is es.truth_keys and a.mask_indptr is es.mask_indptr
