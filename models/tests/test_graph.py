import numpy as np
import pytest
import torch

from tastegraph_trainer.graph import directed_friend_edges, edge_softmax, normalized_bipartite_adjacency, topk_edge_mask
from tastegraph_trainer.zoo import LightGCN, SocialGCN

# 3 users, 2 items: u0-i0, u0-i1, u1-i0, u2 has no items
USERS = np.array([0, 0, 1])
ITEMS = np.array([0, 1, 0])


def dense_norm_adj():
    a = np.zeros((5, 5))
    for u, i in zip(USERS, ITEMS):
        a[u, 3 + i] = a[3 + i, u] = 1.0
    deg = a.sum(1)
    inv = np.where(deg > 0, 1.0 / np.sqrt(np.maximum(deg, 1e-12)), 0.0)
    return inv[:, None] * a * inv[None, :]


def test_normalized_adjacency_equals_dense_hand_computation():
    adj = normalized_bipartite_adjacency(3, 2, USERS, ITEMS).to_dense().numpy()
    expected = dense_norm_adj()
    # by hand: deg(u0)=2, deg(i0)=2 -> 1/2; deg(u1)=1, deg(i0)=2 -> 1/sqrt(2); deg(i1)=1 -> 1/sqrt(2)
    assert expected[0, 3] == pytest.approx(0.5)
    assert expected[1, 3] == pytest.approx(2**-0.5)
    assert expected[0, 4] == pytest.approx(2**-0.5)
    np.testing.assert_allclose(adj, expected, atol=1e-7)
    assert np.all(np.diag(adj) == 0)  # no self-loops


def test_lightgcn_propagation_is_mean_of_powers():
    torch.manual_seed(0)
    adj = normalized_bipartite_adjacency(3, 2, USERS, ITEMS)
    model = LightGCN(3, 2, adj, dim=4, layers=3)
    users, items = model.embeddings()
    e0 = model.emb.weight.detach().numpy().astype(np.float64)
    a = dense_norm_adj()
    layers = [e0, a @ e0, a @ a @ e0, a @ a @ a @ e0]
    final = sum(layers) / 4
    np.testing.assert_allclose(users.detach().numpy(), final[:3], atol=1e-6)
    np.testing.assert_allclose(items.detach().numpy(), final[3:], atol=1e-6)
    # a user with no items keeps only its own layer-0 share
    np.testing.assert_allclose(users.detach().numpy()[2], e0[2] / 4, atol=1e-7)


def test_lightgcn_gradient_flows_through_symmetric_backward():
    torch.manual_seed(0)
    adj = normalized_bipartite_adjacency(3, 2, USERS, ITEMS)
    model = LightGCN(3, 2, adj, dim=2, layers=2)
    u, i = model.embeddings()
    (u.sum() + 2 * i.sum()).backward()
    a = torch.tensor(dense_norm_adj(), dtype=torch.float32)
    g_out = torch.cat([torch.ones(3, 2), 2 * torch.ones(2, 2)])
    expected = (g_out + a @ g_out + a @ a @ g_out) / 3
    torch.testing.assert_close(model.emb.weight.grad, expected, atol=1e-6, rtol=1e-6)


def test_edge_softmax_rows_sum_to_one():
    src = torch.tensor([0, 0, 0, 1, 2, 2])
    scores = torch.tensor([[1.0, 0.0], [2.0, 5.0], [3.0, 1.0], [7.0, 7.0], [-1.0, 0.0], [1.0, 0.0]])
    a = edge_softmax(scores, src, 4)
    sums = torch.zeros(4, 2).index_add_(0, src, a)
    torch.testing.assert_close(sums[:3], torch.ones(3, 2))
    assert a[3].tolist() == [1.0, 1.0]  # a single friend takes all the attention
    e = np.exp([1.0, 2.0, 3.0])
    assert a[:3, 0].numpy() == pytest.approx(e / e.sum())


def test_socialgcn_attention_sums_to_one_over_each_users_friends_and_filtering():
    torch.manual_seed(0)
    n_users, n_items = 4, 3
    adj = normalized_bipartite_adjacency(n_users, n_items, np.array([0, 1, 2, 3]), np.array([0, 1, 2, 0]))
    src, dst = directed_friend_edges(np.array([0, 0, 1]), np.array([1, 2, 2]))  # user 3 has no friend
    model = SocialGCN(n_users, n_items, adj, torch.from_numpy(src), torch.from_numpy(dst), dim=8, layers=2, heads=2)
    alpha = model.attention().detach()
    sums = torch.zeros(n_users).index_add_(0, model.friend_src, alpha)
    torch.testing.assert_close(sums[:3], torch.ones(3))
    assert sums[3] == 0
    u, i = model.embeddings()
    assert u.shape == (4, 8) and i.shape == (3, 8)
    # keep only each user's top-1 friend: kept attention is renormalised to 1
    keep = topk_edge_mask(alpha.numpy(), src, threshold=0.0, topk=1)
    assert np.bincount(src[keep], minlength=4).tolist() == [1, 1, 1, 0]
    model.set_friend_edges(model.friend_src, model.friend_dst, torch.from_numpy(keep))
    alpha2 = model.attention().detach()
    assert alpha2[torch.from_numpy(~keep)].abs().sum() == 0
    torch.testing.assert_close(alpha2[torch.from_numpy(keep)], torch.ones(3))


def test_topk_edge_mask_threshold_and_rank():
    att = np.array([0.5, 0.3, 0.2, 1.0])
    src = np.array([0, 0, 0, 1])
    assert topk_edge_mask(att, src, 0.25, 0).tolist() == [True, True, False, True]
    assert topk_edge_mask(att, src, 0.0, 2).tolist() == [True, True, False, True]


def test_edge_aggregate_matches_index_add_in_value_and_gradient():
    from tastegraph_trainer.graph import FriendGraph, edge_aggregate

    torch.manual_seed(0)
    src, dst = directed_friend_edges(np.array([0, 0, 1, 3]), np.array([1, 2, 2, 4]))
    src_t, dst_t = torch.from_numpy(src), torch.from_numpy(dst)
    g = FriendGraph(src_t, dst_t, 5)
    alpha = torch.rand(len(src), dtype=torch.float64, requires_grad=True)
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    got = edge_aggregate(alpha.float(), x.float(), g)
    want = torch.zeros(5, 3, dtype=torch.float64).index_add_(0, src_t, alpha.unsqueeze(1) * x[dst_t])
    torch.testing.assert_close(got.double(), want, atol=1e-6, rtol=1e-6)
    w = torch.randn(5, 3, dtype=torch.float64)
    ga, gx = torch.autograd.grad((got.double() * w).sum(), (alpha, x))
    wa, wx = torch.autograd.grad((want * w).sum(), (alpha, x))
    torch.testing.assert_close(ga, wa, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(gx, wx, atol=1e-5, rtol=1e-5)


def test_socialgcn_without_friends_propagates_exactly_like_lightgcn():
    torch.manual_seed(0)
    adj = normalized_bipartite_adjacency(3, 2, USERS, ITEMS)
    empty = torch.zeros(0, dtype=torch.long)
    model = SocialGCN(3, 2, adj, empty, empty, dim=4, layers=3)
    users, items = model.embeddings()
    e0 = model.emb.weight.detach().numpy().astype(np.float64)
    a = dense_norm_adj()
    final = (e0 + a @ e0 + a @ a @ e0 + a @ a @ a @ e0) / 4
    np.testing.assert_allclose(users.detach().numpy(), final[:3], atol=1e-6)
    np.testing.assert_allclose(items.detach().numpy(), final[3:], atol=1e-6)
    (users.sum() + items.sum()).backward()
    lg = LightGCN(3, 2, adj, dim=4, layers=3)
    lg.emb.weight.data.copy_(model.emb.weight.data)
    u2, i2 = lg.embeddings()
    (u2.sum() + i2.sum()).backward()
    torch.testing.assert_close(model.emb.weight.grad, lg.emb.weight.grad, atol=1e-6, rtol=1e-6)


def test_parallel_fusion_leaves_item_propagation_as_lightgcn_and_adds_friends_to_users():
    torch.manual_seed(0)
    adj = normalized_bipartite_adjacency(3, 2, USERS, ITEMS)
    src, dst = directed_friend_edges(np.array([0]), np.array([2]))
    model = SocialGCN(
        3, 2, adj, torch.from_numpy(src), torch.from_numpy(dst), dim=4, layers=2, fusion="parallel", gate_init=0.0
    )
    lg = LightGCN(3, 2, adj, dim=4, layers=2)
    lg.emb.weight.data.copy_(model.emb.weight.data)
    u, i = model.embeddings()
    lu, li = lg.embeddings()
    torch.testing.assert_close(i, li)
    torch.testing.assert_close(u[1], lu[1])  # user 1 has no friend
    # user 0: each layer adds g * (the only friend's previous-layer pure embedding), g = sigmoid(0) = 0.5
    e0 = model.emb.weight.detach().numpy().astype(np.float64)
    a = dense_norm_adj()
    layers = [e0, a @ e0, a @ a @ e0]
    want0 = (layers[0][0] + layers[1][0] + 0.5 * layers[0][2] + layers[2][0] + 0.5 * layers[1][2]) / 3
    np.testing.assert_allclose(u[0].detach().numpy(), want0, atol=1e-6)
