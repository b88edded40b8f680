"""DenoiseGCN (issue #26): the hard-concrete friend-edge gate, its gradients, the edges it drops, and the
serving artefacts through the CLI (attention.csv with the kept flags, ONNX parity of encoder and scorer)."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from tastegraph_trainer.graph import directed_friend_edges, normalized_bipartite_adjacency
from tastegraph_trainer.zoo import DenoiseGCN
from tastegraph_trainer.zoo.base import Batch
from tastegraph_trainer.zoo.denoise import GAMMA, ZETA, hard_concrete, open_probability

from test_cli import events, run_cli

ort = pytest.importorskip("onnxruntime")


def tiny(edge_l0=0.1, init=3.0):
    torch.manual_seed(0)
    adj = normalized_bipartite_adjacency(4, 3, np.array([0, 1, 2, 3]), np.array([0, 1, 2, 0]))
    src, dst = directed_friend_edges(np.array([0, 0, 1]), np.array([1, 2, 2]))  # user 3 has no friend
    return DenoiseGCN(
        4, 3, adj, torch.from_numpy(src), torch.from_numpy(dst), dim=8, layers=2, edge_l0=edge_l0, gate_bias_init=init
    )


def test_hard_concrete_is_exactly_zero_or_one_at_the_ends_and_its_median_in_between():
    logits = torch.tensor([-10.0, 0.0, 10.0])
    z = hard_concrete(logits, training=False)
    assert z[0] == 0.0 and z[2] == 1.0
    assert z[1].item() == pytest.approx(0.5 * (ZETA - GAMMA) + GAMMA)  # sigmoid(0) stretched
    torch.manual_seed(1)
    samples = hard_concrete(torch.zeros(20000), training=True)
    assert samples.min() >= 0 and samples.max() <= 1
    # P(z > 0) of the samples matches the closed form used by the L0 penalty
    assert (samples > 0).float().mean().item() == pytest.approx(open_probability(torch.zeros(1)).item(), abs=0.01)


def test_gates_are_symmetric_per_friendship_and_shapes_match_the_edges():
    model = tiny().eval()
    z = model.attention()
    assert z.shape == model.friend_src.shape == (6,)
    pair = {(int(s), int(d)): float(v) for s, d, v in zip(model.friend_src, model.friend_dst, z)}
    for (s, d), v in pair.items():
        assert pair[(d, s)] == pytest.approx(v)
    u, i = model.embeddings()
    assert u.shape == (4, 8) and i.shape == (3, 8)
    # the social view is the degree-normalised gated sum: with init 3 every gate is fully open
    assert torch.all(z == 1.0)
    w = model.edge_weights()
    assert w.tolist() == pytest.approx([0.5] * 6)  # every user with friends has two


def test_gradients_reach_the_gate_from_the_loss_and_the_l0_penalty():
    model = tiny(edge_l0=0.5, init=0.0).train()
    users, items = model.embeddings()
    pos = (users[[0, 1]] * items[[0, 1]]).sum(-1)
    neg = (users[[0, 1]] * items[[2, 2]]).sum(-1)
    batch = Batch(torch.tensor([0, 1]), users, items, users[[0, 1]], pos, neg)
    loss = torch.nn.functional.softplus(neg - pos).mean()
    l0 = model.extra_loss(batch, epoch=1)
    assert l0 is not None and l0.item() > 0
    (loss + l0).backward()
    assert model.gate_proj.weight.grad is not None and model.gate_proj.weight.grad.abs().sum() > 0
    assert model.gate_bias.grad is not None and model.gate_bias.grad.item() != 0
    # the unused attention projections are frozen
    assert not model.att_q.weight.requires_grad and model.att_q.weight.grad is None


def test_l0_penalty_alone_pushes_the_gates_shut():
    model = tiny(edge_l0=1.0, init=0.0).train()
    before = model.gate_bias.item()
    model.embeddings()
    batch = Batch(torch.tensor([0]), *([torch.zeros(1)] * 5))
    model.extra_loss(batch, epoch=1).backward()
    assert model.gate_bias.grad.item() > 0  # gradient descent lowers the bias: fewer open gates
    assert before == 0.0


def test_closed_gates_drop_edges_and_users_fall_back_to_their_interaction_view():
    model = tiny(init=-10.0).eval()
    assert model.learned_edge_keep().sum() == 0
    assert torch.all(model.edge_weights() == 0)
    u_closed, _ = model.embeddings()
    # with every edge shut the model is LightGCN's propagation on the user side
    opened = tiny(init=10.0).eval()
    opened.load_state_dict(model.state_dict())
    with torch.no_grad():
        opened.gate_bias.fill_(-10.0)
    assert torch.allclose(opened.embeddings()[0], u_closed)
    # a keep mask (the attention filter's) zeroes those edges too
    model2 = tiny(init=10.0).eval()
    keep = torch.tensor([True, False, True, True, True, True])
    model2.set_friend_edges(model2.friend_src, model2.friend_dst, keep)
    assert model2.attention()[1] == 0 and model2.attention()[0] == 1


def test_denoisegcn_on_a_snapshot_writes_kept_edges_and_onnx_matches(tiny_snapshot, tmp_path):
    out = tmp_path / "run"
    r = run_cli(
        "train",
        "--model",
        "denoisegcn",
        "--snapshot",
        str(tiny_snapshot),
        "--out",
        str(out),
        "--epochs",
        "3",
        "--eval-every",
        "1",
        "--dim",
        "8",
        "--layers",
        "2",
        "--val-fraction",
        "0.34",
        "--edge-gate-init",
        "-1.5",
        "--threads",
        "1",
    )
    assert r.returncode == 0, r.stderr
    ev = events(r.stdout)
    assert ev[0]["event"] == "started" and ev[-1]["event"] == "done"
    att = (out / "attention.csv").read_text().splitlines()
    assert att[0] == "a_id,b_id,attention,kept"
    rows = [line.split(",") for line in att[1:]]
    assert len(rows) == 2 * 3
    for _, _, a, k in rows:  # kept exactly where the gate is open
        assert (float(a) > 0) == (k == "1" or k.lower() == "true")
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["model"] == "denoisegcn" and metrics["friend_edges"]["directed"] == 6
    assert set(metrics["test"]["by_friends"]) == {"0", "1-5", "6-20", "20+"}
    users, items = np.load(out / "user_embeddings.npy"), np.load(out / "item_embeddings.npy")
    scorer = ort.InferenceSession(str(out / "scorer.onnx"), providers=["CPUExecutionProvider"])
    (s,) = scorer.run(["scores"], {"user_emb": users[:2]})
    np.testing.assert_allclose(s, users[:2] @ items.T, atol=1e-4)
    enc = ort.InferenceSession(str(out / "encoder.onnx"), providers=["CPUExecutionProvider"])
    (u,) = enc.run(
        ["user_emb"],
        {
            "item_idx": np.array([[0, 3]], dtype=np.int64),
            "item_w": np.ones((1, 2), np.float32),
            "item_mask": np.ones((1, 2), np.float32),
            "friend_idx": np.array([[1]], dtype=np.int64),
            "friend_mask": np.ones((1, 1), np.float32),
        },
    )
    assert u.shape == (1, 8) and np.isfinite(u).all()
    assert Path(out / "config.json").exists() and math.isfinite(metrics["test"]["recall@20"])
