"""SocialGCN's optional social loss terms (--social-reg, --social-cl, --sbpr) on tiny graphs."""

import io
import json
import math

import numpy as np
import pytest
import torch

from tastegraph_trainer.graph import directed_friend_edges, normalized_bipartite_adjacency
from tastegraph_trainer.loss import sbpr_terms, social_infonce, social_smoothness
from tastegraph_trainer.sampling import NegativeSampler, SocialItemSampler
from tastegraph_trainer.zoo import SocialGCN


def test_social_smoothness_is_the_attention_weighted_squared_distance_per_batch_user():
    x = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [5.0, 5.0]], requires_grad=True)
    src = torch.tensor([0, 0, 1, 2])
    dst = torch.tensor([1, 2, 0, 0])
    alpha = torch.tensor([0.25, 0.75, 1.0, 1.0])
    # batch users 0 and 1 (0 twice, 3 has no friends): user 0 = 0.25*1 + 0.75*4 = 3.25, user 1 = 1
    loss = social_smoothness(x, alpha, src, dst, torch.tensor([0, 0, 1, 3]))
    assert float(loss.detach()) == pytest.approx((3.25 + 1.0) / 2)
    loss.backward()
    assert x.grad[3].abs().sum() == 0  # no friends, no gradient
    assert x.grad[1, 0] > 0  # pulls user 1 towards user 0 (and back)
    empty = social_smoothness(x, alpha, src, dst, torch.tensor([3]))
    assert float(empty) == 0.0


def test_social_infonce_known_answer_and_gradient():
    x = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], requires_grad=True)
    view = torch.tensor([[2.0, 0.0], [0.0, 3.0], [0.0, 0.0]])
    has = torch.tensor([True, True, False])
    t = 0.5
    loss = social_infonce(x, view, has, torch.tensor([1, 0, 2, 0]), t)
    # users 0 and 1: cos = identity matrix -> each row softmax([1/t, 0]) on the diagonal
    expected = -math.log(math.exp(1 / t) / (math.exp(1 / t) + 1.0))
    assert float(loss) == pytest.approx(expected, rel=1e-5)
    loss.backward()
    assert x.grad[2].abs().sum() == 0
    assert float(social_infonce(x, view, has, torch.tensor([2]), t)) == 0.0


def test_sbpr_terms_known_answer_and_mask():
    pos = torch.tensor([2.0, 0.0, 9.0])
    soc = torch.tensor([1.0, 0.0, -9.0])
    neg = torch.tensor([0.0, 0.0, 9.0])
    valid = torch.tensor([True, True, False])
    sp = lambda z: math.log1p(math.exp(z))  # noqa: E731
    expected = ((sp(-1.0) + sp(-1.0)) + (sp(0.0) + sp(0.0))) / 2
    assert float(sbpr_terms(pos, soc, neg, valid)) == pytest.approx(expected)
    assert float(sbpr_terms(pos, soc, neg, torch.zeros(3, dtype=torch.bool))) == 0.0
    assert float(sbpr_terms(pos, soc, neg, valid, "weak")) == pytest.approx((sp(-1.0) + sp(0.0)) / 2)


def test_social_item_sampler_draws_friends_items_that_are_not_own_positives():
    # user 0: items {0, 1}, friends 1 (items {1, 2, 3}) and 3 (items {0, 4}); user 2: no friends; user 3: friend 0 only
    user = np.array([0, 0, 1, 1, 1, 3])
    item = np.array([0, 1, 1, 2, 3, 4])
    src, dst = directed_friend_edges(np.array([0, 0]), np.array([1, 3]))
    neg = NegativeSampler(user, item, 5, "uniform", 0)
    s = SocialItemSampler(src, dst, user, item, 4, neg, np.random.default_rng(1))
    users = np.array([0] * 200 + [2] * 5 + [3] * 50)
    k, valid = s.draw(users)
    assert valid[:200].mean() > 0.9 and set(k[:200][valid[:200]].tolist()) == {2, 3, 4}  # items 0, 1 are user 0's own
    assert not valid[200:205].any()
    assert set(k[205:][valid[205:]].tolist()) <= {0, 1}  # user 3's friend 0 has items 0, 1


def tiny_socialgcn():
    user = np.array([0, 0, 1, 1, 2, 3, 3])
    item = np.array([0, 1, 1, 2, 3, 0, 4])
    adj = normalized_bipartite_adjacency(4, 5, user, item)
    src, dst = directed_friend_edges(np.array([0, 1]), np.array([1, 3]))
    torch.manual_seed(0)
    return SocialGCN(
        4, 5, adj, torch.from_numpy(src), torch.from_numpy(dst), dim=6, layers=2, fusion="parallel", gate_mode="layer"
    )


def test_social_terms_reach_the_embeddings_through_the_friend_view():
    model = tiny_socialgcn()
    users_f, _ = model.embeddings()
    alpha = model.last_alpha.detach()
    view = model.friend_view(users_f, alpha)
    assert view.shape == users_f.shape
    assert torch.allclose(view[2], torch.zeros(6))  # user 2 has no friends
    torch.testing.assert_close(view[3], users_f[1])  # user 3's only friend is 1
    loss = social_infonce(users_f, view, model.has_friends.squeeze(1), torch.arange(4), 0.2) + social_smoothness(
        users_f, alpha, model.friend_src, model.friend_dst, torch.arange(4)
    )
    loss.backward()
    assert model.emb.weight.grad.abs().sum() > 0


@pytest.mark.parametrize(
    "flags",
    [
        {"social_reg": 0.1},
        {"social_cl": 0.1, "cl_temp": 0.5},
        {"sbpr": 1.0},
        {"sbpr": 0.5, "sbpr_mode": "weak"},
        {"social_cl": 0.1, "social_decay_epochs": 1},
    ],
)
def test_socialgcn_trains_with_each_social_term(tiny_snapshot, tmp_path, flags):
    from tastegraph_trainer.config import TrainConfig
    from tastegraph_trainer.events import EventWriter
    from tastegraph_trainer.train import run

    cfg = TrainConfig(
        model="socialgcn",
        snapshot=str(tiny_snapshot),
        out=str(tmp_path / "o"),
        epochs=2,
        eval_every=1,
        dim=4,
        layers=2,
        export=False,
        **flags,
    ).validate()
    buf = io.StringIO()
    m = run(cfg, EventWriter(buf))
    losses = [e["loss"] for e in map(json.loads, buf.getvalue().splitlines()) if e["event"] == "epoch"]
    assert len(losses) == 2 and all(0 < x < 20 for x in losses)
    assert m["test"]["users"] == 3


def test_social_flags_parse_and_validate(tiny_snapshot, tmp_path):
    import argparse

    from tastegraph_trainer.arguments import add_train_arguments, config_from_args
    from tastegraph_trainer.config import ConfigError, TrainConfig

    p = argparse.ArgumentParser()
    add_train_arguments(p)
    base = ["--model", "socialgcn", "--snapshot", str(tiny_snapshot), "--out", str(tmp_path / "o")]
    cfg = config_from_args(p.parse_args(base))
    assert (cfg.social_reg, cfg.social_cl, cfg.sbpr) == (0.0, 0.0, 0.0)  # off by default: today's behaviour
    cfg = config_from_args(
        p.parse_args(base + ["--social-reg", "0.1", "--social-cl", "0.2", "--cl-temp", "0.3", "--sbpr", "1"])
    )
    assert (cfg.social_reg, cfg.social_cl, cfg.cl_temp, cfg.sbpr) == (0.1, 0.2, 0.3, 1.0)
    with pytest.raises(ConfigError, match="--cl-temp"):
        TrainConfig(model="socialgcn", snapshot=str(tiny_snapshot), out="o", cl_temp=0).validate()
    with pytest.raises(ConfigError, match="--sbpr"):
        TrainConfig(model="socialgcn", snapshot=str(tiny_snapshot), out="o", sbpr=-1).validate()


def test_social_scale_decays_linearly_to_zero():
    from tastegraph_trainer.loss import social_scale

    assert [social_scale(e, 0) for e in (1, 50, 500)] == [1.0, 1.0, 1.0]
    assert [social_scale(e, 4) for e in (1, 2, 3, 4, 5, 9)] == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
