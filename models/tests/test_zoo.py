"""The model zoo on tiny graphs whose answers are computed densely by hand."""

from collections import Counter

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from tastegraph_trainer.foldin import pad_lists
from tastegraph_trainer.graph import normalized_bipartite_adjacency
from tastegraph_trainer.walks import csr, item_walks, sample_table
from tastegraph_trainer.zoo import (
    GAT,
    GCN,
    NGCF,
    GraphSAGE,
    HardNegatives,
    PaddedMean,
    PinSage,
    PinSageConv,
    SageLayer,
    gat_edges,
    masked_mean,
)

# 3 users, 3 items: u0-i0, u0-i1, u1-i0, u1-i2, u2-i2
USERS = np.array([0, 0, 1, 1, 2])
ITEMS = np.array([0, 1, 0, 2, 2])
NU, NI = 3, 3


def dense_adj(self_loops=False):
    n = NU + NI
    a = np.zeros((n, n))
    for u, i in zip(USERS, ITEMS):
        a[u, NU + i] = a[NU + i, u] = 1.0
    if self_loops:
        a += np.eye(n)
    d = a.sum(1) ** -0.5
    return d[:, None] * a * d[None, :]


def t64(x):
    return x.detach().double().numpy()


def test_ngcf_layer_matches_dense_formula():
    torch.manual_seed(0)
    adj = normalized_bipartite_adjacency(NU, NI, USERS, ITEMS)
    model = NGCF(NU, NI, adj, dim=4, layers=2, dropout=0.0).eval()
    users, items = model.embeddings()
    lap = dense_adj()
    e = t64(model.emb.weight)
    outs = [e]
    for layer in model.layers:
        w1, b1 = t64(layer.w1.weight), t64(layer.w1.bias)
        w2, b2 = t64(layer.w2.weight), t64(layer.w2.bias)
        # message per edge: W1 e_i + W2 (e_i ⊙ e_u) weighted 1/sqrt(|N_u||N_i|), plus the self message W1 e_u
        h = np.zeros_like(e)
        for t in range(NU + NI):
            acc = e[t] @ w1.T + b1 + b2  # self message W1 e_u (+ the biases, once per layer)
            for s in range(NU + NI):
                if lap[t, s]:
                    acc = acc + lap[t, s] * (e[s] @ w1.T + (e[s] * e[t]) @ w2.T)
            h[t] = acc
        e = np.where(h > 0, h, 0.2 * h)
        outs.append(e / np.linalg.norm(e, axis=1, keepdims=True))
    final = np.concatenate(outs, axis=1)
    np.testing.assert_allclose(t64(torch.cat([users, items])), final, atol=1e-5)
    assert users.shape == (NU, 4 * 3)  # layers 0..2 concatenated


def test_ngcf_message_dropout_only_while_training():
    adj = normalized_bipartite_adjacency(NU, NI, USERS, ITEMS)
    model = NGCF(NU, NI, adj, dim=8, layers=1, dropout=0.5)
    model.eval()
    a, b = model.embeddings()[0], model.embeddings()[0]
    torch.testing.assert_close(a, b)
    model.train()
    torch.manual_seed(1)
    c = model.embeddings()[0]
    assert (c[:, 8:] == 0).any()  # dropped messages


def test_gcn_layers_match_dense_renormalised_adjacency():
    torch.manual_seed(0)
    adj = normalized_bipartite_adjacency(NU, NI, USERS, ITEMS, self_loops=True)
    a = dense_adj(self_loops=True)
    np.testing.assert_allclose(adj.to_dense().numpy(), a, atol=1e-7)
    model = GCN(NU, NI, adj, dim=4, layers=2)
    users, items = model.embeddings()
    h = t64(model.emb.weight)
    for k, layer in enumerate(model.layers):
        h = a @ h @ t64(layer.lin.weight).T + t64(layer.lin.bias)
        if k == 0:
            h = np.maximum(h, 0)  # ReLU between layers, none after the last
    np.testing.assert_allclose(t64(torch.cat([users, items])), h, atol=1e-5)


def dense_gat_layer(layer, x, a_mask):
    """Dense masked softmax per head over each target's neighbours (self-loop included)."""
    wh = t64(layer.lin.weight) @ x.T  # [H*d, N]
    n = x.shape[0]
    wh = wh.T.reshape(n, layer.heads, layer.d_head)
    at, as_ = t64(layer.att_tgt), t64(layer.att_src)
    outs, alphas = [], []
    for h in range(layer.heads):
        st, ss = wh[:, h] @ at[h], wh[:, h] @ as_[h]
        logits = st[:, None] + ss[None, :]
        logits = np.where(logits > 0, logits, 0.2 * logits)
        logits = np.where(a_mask, logits, -np.inf)
        al = np.exp(logits - logits.max(1, keepdims=True))
        al /= al.sum(1, keepdims=True)
        alphas.append(al)
        outs.append(al @ wh[:, h])
    out = np.concatenate(outs, 1) if layer.concat else np.mean(outs, 0)
    return out + t64(layer.bias), alphas


def test_gat_matches_dense_attention_and_sums_to_one_per_target():
    torch.manual_seed(0)
    tgt, src = gat_edges(NU, NI, USERS, ITEMS)
    model = GAT(NU, NI, tgt, src, dim=4, layers=2, heads=2)
    users, items = model.embeddings()
    a_mask = dense_adj(self_loops=True) > 0
    x = t64(model.emb.weight)
    h1, _ = dense_gat_layer(model.layers[0], x, a_mask)
    h1 = np.where(h1 > 0, h1, np.expm1(np.minimum(h1, 0)))  # ELU
    h2, _ = dense_gat_layer(model.layers[1], h1, a_mask)
    np.testing.assert_allclose(t64(torch.cat([users, items])), h2, atol=1e-5)
    # attention of the first layer: per target and head, sums to 1 over its neighbours and itself
    alpha, _ = model.layers[0].attention(model.emb.weight, model.graph)
    sums = torch.zeros(NU + NI, 2, dtype=alpha.dtype).index_add_(0, model.graph.src, alpha)
    torch.testing.assert_close(sums, torch.ones_like(sums))
    assert model.layers[0].concat and not model.layers[1].concat
    assert users.shape == (NU, 4)


def test_gat_trains_its_attention_parameters():
    torch.manual_seed(0)
    tgt, src = gat_edges(NU, NI, USERS, ITEMS)
    model = GAT(NU, NI, tgt, src, dim=4, layers=1, heads=2)
    u, i = model.embeddings()
    (u @ i.T).pow(2).sum().backward()
    assert model.layers[0].att_src.grad.abs().sum() > 0
    assert model.layers[0].att_tgt.grad.abs().sum() > 0


def test_padded_mean_equals_dense_masked_mean_with_gradients():
    torch.manual_seed(0)
    idx = torch.tensor([[0, 2, 1], [1, 0, 0], [2, 0, 0]])
    w = torch.tensor([[1.0, 3.0, 2.0], [2.0, 9.0, 9.0], [1.0, 1.0, 1.0]])
    mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    x1 = torch.randn(3, 4, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    a = PaddedMean(idx, w, mask, 3)(x1)
    b = masked_mean(x2[idx], w, mask)
    torch.testing.assert_close(a, b)
    # by hand: row 0 = (1*x0 + 3*x2) / 4, row 1 = x1, row 2 (no neighbours) = 0
    torch.testing.assert_close(b[0], (x2[0] + 3 * x2[2]).detach() / 4)
    assert torch.all(b[2] == 0)
    (a * torch.arange(12.0).view(3, 4)).sum().backward()
    (b * torch.arange(12.0).view(3, 4)).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad)


@pytest.mark.parametrize("aggregator", ["mean", "pool"])
def test_sage_layer_matches_hand_computation(aggregator):
    torch.manual_seed(0)
    layer = SageLayer(3, 2, aggregator, activation=True)
    h = torch.randn(4, 3)
    idx = torch.tensor([[1, 2, 0], [3, 0, 0]])
    w = torch.tensor([[1.0, 1.0, 0.0], [2.0, 0.0, 0.0]])
    mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    out = layer(h[:2], h, idx, w, mask)
    rows = []
    for r, nb in enumerate([[1, 2], [3]]):
        if aggregator == "mean":
            agg = h[nb].mean(0)
        else:
            agg = torch.stack([F.relu(layer.pool(h[j])) for j in nb]).max(0).values
        rows.append(F.relu(layer.lin(torch.cat([h[r], agg]))))
    torch.testing.assert_close(out, torch.stack(rows))


def tiny_sage(aggregator="mean", id_embeddings=True):
    torch.manual_seed(0)
    uf = np.array([[0.1], [0.2], [0.3]], dtype=np.float32)
    itf = np.eye(3, 4, dtype=np.float32)
    return GraphSAGE(
        NU,
        NI,
        USERS,
        ITEMS,
        np.ones(len(USERS)),
        uf,
        itf,
        dim=4,
        fanouts=(3, 3),
        aggregator=aggregator,
        id_embeddings=id_embeddings,
        seed=0,
    )


@pytest.mark.parametrize("aggregator", ["mean", "pool"])
def test_graphsage_encoder_equals_the_model_forward_for_a_known_user(aggregator):
    """Every degree is <= the fan-out, so every sample is the full neighbourhood; without id
    embeddings the encoder (items only) must give exactly the model's user embedding."""
    model = tiny_sage(aggregator, id_embeddings=False).eval()
    # the user features must be what the encoder computes from the neighbourhood: log1p(deg) * 0.2
    model.user_features = torch.tensor(np.log1p([[2.0], [2.0], [1.0]]) * 0.2, dtype=torch.float32)
    users, _ = model.embeddings()
    enc = model.inductive_encoder()
    idx, w, mask = pad_lists([[0, 1], [0, 2], [2]])
    fi, _, fm = pad_lists([[], [], []])
    torch.testing.assert_close(enc(idx, w, mask, fi, fm), users, atol=1e-6, rtol=1e-5)


def test_graphsage_gives_a_new_user_an_embedding_from_its_neighbours_alone():
    model = tiny_sage("mean", id_embeddings=True).eval()
    enc = model.inductive_encoder()
    assert not any(p.shape[0] == NU for p in enc.parameters())  # no per-user table: nothing to look up
    fi, _, fm = pad_lists([[]])
    # a 4th user, never in the graph, who listened to items 1 and 2
    idx, w, mask = pad_lists([[1, 2]])
    new = enc(idx, w, mask, fi, fm)[0]
    # by hand: h0 = proj(log1p(2) * 0.2); h_l = layer_l(h_(l-1), mean of the items' stored h^(l-1))
    states = model.layer_states()
    h = model.user_in.proj(torch.tensor([np.log1p(2.0) * 0.2], dtype=torch.float32))
    for k, layer in enumerate(model.layers):
        agg = states[k][NU + 1 : NU + 3].mean(0)
        h = layer.lin(torch.cat([h, agg]))
        if k == 0:
            h = F.relu(h)
    torch.testing.assert_close(new, h.detach(), atol=1e-6, rtol=1e-5)
    assert new.abs().sum() > 0
    other = enc(*pad_lists([[0]]), fi, fm)[0]
    assert not torch.allclose(new, other)  # the embedding comes from the neighbours


def test_graphsage_samples_fanout_neighbours_without_replacement():
    rng = np.random.default_rng(0)
    # node 0 has 6 neighbours, node 1 has 2, node 2 none
    indptr, indices, weights = csr(np.array([0] * 6 + [1, 1]), np.array([10, 11, 12, 13, 14, 15, 20, 21]), 3)
    idx, w, mask = sample_table(indptr, indices, weights, 4, rng)
    assert mask.sum(1).tolist() == [4, 2, 0]
    picked = idx[0][mask[0] > 0]
    assert len(set(picked.tolist())) == 4 and set(picked.tolist()) <= {10, 11, 12, 13, 14, 15}
    assert sorted(idx[1][mask[1] > 0].tolist()) == [20, 21]


def test_graphsage_training_resamples_and_eval_is_fixed():
    model = tiny_sage()
    model.fanouts = (1, 1)
    model._eval_tables = model._sample(np.random.default_rng(5))
    model.eval()
    torch.testing.assert_close(model.embeddings()[0], model.embeddings()[0])
    model.train()
    draws = {tuple(model._sample(model._rng)[0][0][:, 0].tolist()) for _ in range(20)}
    assert len(draws) > 1


def walk_graph():
    # items A=0, B=1, C=2; users x=0: {A, B}, y=1: {B, C}
    return np.array([0, 0, 1, 1]), np.array([0, 1, 1, 2])


def test_pinsage_importance_weights_equal_normalised_visit_counts():
    user, item = walk_graph()
    record = []
    res = item_walks(user, item, 2, 3, walks=50, length=3, rng=np.random.default_rng(1), record=record)
    idx, w, mask = res.table(3, 0, 2)
    seeds = np.concatenate([s for s, _ in record])
    visited = np.concatenate([v for _, v in record])
    for seed in range(3):
        counts = Counter(visited[(seeds == seed) & (visited != seed)].tolist())
        total = sum(counts.values())
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        got = [(int(i), float(x)) for i, x, m in zip(idx[seed], w[seed], mask[seed]) if m]
        assert [i for i, _ in got] == [i for i, _ in ranked]
        np.testing.assert_allclose([x for _, x in got], [c / total for _, c in ranked], rtol=1e-6)
    assert w.sum(1).max() <= 1 + 1e-6


def test_pinsage_walk_shares_match_the_exact_distribution():
    """docs/sampling.md §2: length-2 walks from A visit B and C in shares 8/9 and 1/9 (alpha = 0)."""
    user, item = walk_graph()
    res = item_walks(user, item, 2, 3, walks=3000, length=2, rng=np.random.default_rng(2), seeds=np.array([0]))
    idx, w, mask = res.table(1, 0, 2)
    share = dict(zip(idx[0].tolist(), w[0].tolist()))
    assert share[1] == pytest.approx(8 / 9, abs=0.03)
    assert share[2] == pytest.approx(1 / 9, abs=0.03)


def test_pinsage_dead_end_walker_returns_home_without_a_visit():
    # item 2 has no users: its walkers never move and it gets no neighbours
    res = item_walks(np.array([0]), np.array([0]), 1, 3, walks=5, length=3, rng=np.random.default_rng(0))
    idx, w, mask = res.table(3, 0, 2)
    assert mask[2].sum() == 0 and res.total[2] == 0


def test_pinsage_conv_matches_hand_computation():
    torch.manual_seed(0)
    conv = PinSageConv(3, 2)
    h = torch.randn(4, 3)
    idx = torch.tensor([[1, 2], [0, 0]])
    alpha = torch.tensor([[0.75, 0.25], [1.0, 0.0]])
    mask = torch.tensor([[1.0, 1.0], [1.0, 0.0]])
    out = conv(h[:2], h, idx, alpha, mask)
    n0 = 0.75 * F.relu(conv.q(h[1])) + 0.25 * F.relu(conv.q(h[2]))
    n1 = F.relu(conv.q(h[0]))
    z = [F.relu(conv.w(torch.cat([h[0], n0]))), F.relu(conv.w(torch.cat([h[1], n1])))]
    torch.testing.assert_close(out, torch.stack([v / v.norm() for v in z]))
    torch.testing.assert_close(out, conv(h[:2], h, idx, alpha, mask, PaddedMean(idx, alpha, mask, 4)))


def tiny_pinsage(hard=None):
    torch.manual_seed(0)
    user, item = walk_graph()
    res = item_walks(user, item, 2, 3, walks=20, length=2, rng=np.random.default_rng(0))
    w_idx, w_w, w_mask = res.table(3, 0, 2)
    u_idx, u_w, u_mask = pad_lists([[0, 1], [1, 2]])
    return PinSage(
        2,
        3,
        w_idx,
        w_w,
        w_mask,
        u_idx.numpy(),
        u_w.numpy(),
        u_mask.numpy(),
        np.eye(3, dtype=np.float32),
        dim=4,
        layers=2,
        id_embeddings=False,
        hard=hard,
    )


def test_pinsage_user_encoder_equals_model_users_and_embeds_new_users():
    model = tiny_pinsage().eval()
    users, items = model.embeddings()
    enc = model.inductive_encoder()
    fi, _, fm = pad_lists([[], []])
    torch.testing.assert_close(enc(*pad_lists([[0, 1], [1, 2]]), fi, fm), users, atol=1e-6, rtol=1e-5)
    new = enc(*pad_lists([[2]]), *pad_lists([[]])[::2])[0]
    torch.testing.assert_close(new, model.user_head(items[2]).detach(), atol=1e-6, rtol=1e-5)


def test_pinsage_hard_negative_curriculum_grows_and_picks_the_best_scoring_non_positive():
    # 6 items on a line: item j scores j for user 0; user 0's positives are items 4 and 5
    items = torch.arange(6, dtype=torch.float32).unsqueeze(1)
    pos_keys = np.array([0 * 6 + 4, 0 * 6 + 5])
    hard = HardNegatives(pos_keys, 6, max_hard=3, ramp_epochs=2, candidates=50, rng=np.random.default_rng(0))
    assert [hard.count(e) for e in (1, 2, 3, 5, 7, 50)] == [0, 0, 1, 2, 3, 3]
    users = np.zeros(100, dtype=np.int64)
    uv = torch.ones(100, 1)
    assert hard.draw(users, 1, uv, items) is None
    neg = hard.draw(users, 7, uv, items)
    assert neg.shape == (100, 3)
    # 50 candidates out of the 4 non-positives: the best one, item 3, is nearly always drawn; never 4 or 5
    assert not torch.isin(neg, torch.tensor([4, 5])).any()
    assert (neg == 3).float().mean() > 0.99
    few = HardNegatives(pos_keys, 6, max_hard=1, ramp_epochs=1, candidates=1, rng=np.random.default_rng(1))
    drawn = few.draw(users, 2, uv, items)
    assert set(drawn.flatten().tolist()) == {0, 1, 2, 3}  # one candidate: a uniform non-positive


def test_lastfm_tag_features_leave_out_tags_of_test_pairs(tmp_path):
    import json
    from types import SimpleNamespace

    from tastegraph_trainer.features import item_tag_counts, node_features, tag_matrix

    (tmp_path / "raw").mkdir()
    (tmp_path / "userReindex.json").write_text(json.dumps({"10": 0, "11": 1}))
    (tmp_path / "itemReindex.json").write_text(json.dumps({"50": 0, "51": 1}))
    (tmp_path / "raw" / "user_taggedartists.dat").write_text(
        "userID\tartistID\ttagID\tday\tmonth\tyear\n"
        "10\t50\t1\t1\t1\t2009\n"  # u0 tags i0 'rock' (a training pair)
        "11\t50\t1\t1\t1\t2009\n"  # u1 tags i0 'rock'
        "11\t50\t2\t1\t1\t2009\n"  # u1 tags i0 'pop'
        "11\t51\t3\t1\t1\t2009\n"  # u1 tags i1 'jazz': (u1, i1) is a TEST pair, left out
        "99\t51\t1\t1\t1\t2009\n"  # unknown user: ignored
    )
    data = SimpleNamespace(
        name="lastfm", n_users=2, n_items=2, item_tags=None, test_user=np.array([1]), test_item=np.array([1])
    )
    counts = item_tag_counts(data, str(tmp_path))
    assert counts[0] == {"1": 2, "2": 1} and counts[1] == {}
    m = tag_matrix(counts, 2, top=8)
    np.testing.assert_allclose(m, [[2 / 3, 1 / 3], [0, 0]])  # vocabulary '1', '2' (by items carrying them, then name)
    uf, itf = node_features(data, np.array([0, 1]), np.array([0, 0]), str(tmp_path), 8)
    np.testing.assert_allclose(uf[:, 0], np.log1p([1, 1]) * 0.2)
    np.testing.assert_allclose(itf[:, -1], np.log1p([2, 0]) * 0.2)
