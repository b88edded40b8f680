"""The model registry and what every model it builds owns: graph tensors as buffers (so `.to()` moves
all of it) that no checkpoint stores, and the hooks the training loop calls instead of type checks."""

import pytest
import torch

from tastegraph_trainer.config import MODELS, TrainConfig
from tastegraph_trainer.prepare import load_data, prepare
from tastegraph_trainer.registry import MODEL_BUILDERS, build_model
from tastegraph_trainer.zoo import Recommender


def built(name, snapshot, tmp_path):
    cfg = TrainConfig(
        model=name,
        snapshot=str(snapshot),
        out=str(tmp_path / name),
        dim=4,
        layers=2,
        val_fraction=0.34,
        fanouts="3,2",
        walks=5,
        walk_topk=2,
        gat_heads=2,
        sbpr=0.5,
        social_reg=0.1,
    ).validate()
    return build_model(cfg, prepare(load_data(cfg), cfg))


def test_every_model_name_has_a_builder():
    assert set(MODEL_BUILDERS) == set(MODELS)


@pytest.mark.parametrize("name", MODELS)
def test_models_hold_no_tensor_outside_parameters_and_buffers(name, tiny_snapshot, tmp_path):
    model = built(name, tiny_snapshot, tmp_path)
    assert isinstance(model, Recommender)
    for mod_name, mod in model.named_modules():
        loose = [k for k, v in vars(mod).items() if isinstance(v, torch.Tensor)]
        assert loose == [], f"{name}.{mod_name}: plain tensor attributes {loose} would not move with .to()"


@pytest.mark.parametrize("name", MODELS)
def test_to_converts_every_graph_tensor(name, tiny_snapshot, tmp_path):
    # a dtype change stands in for a device change on a machine without a GPU: a graph tensor left
    # behind as float32 would make the float64 forward fail
    model = built(name, tiny_snapshot, tmp_path).to(torch.float64).eval()
    with torch.no_grad():
        users, items = model.embeddings()
    assert users.dtype == items.dtype == torch.float64
    assert torch.isfinite(users).all() and torch.isfinite(items).all()


@pytest.mark.parametrize("name", MODELS)
def test_graph_buffers_stay_out_of_the_state_dict(name, tiny_snapshot, tmp_path):
    model = built(name, tiny_snapshot, tmp_path)
    graph = ("adj", "friend", "has_friends", "edge_keep", "eval_", "walk_op", "user_op", "graph.")
    assert [k for k in model.state_dict() if k.startswith(graph)] == []
    # a model built on another split loads the checkpointed weights (the refit does exactly this)
    other = built(name, tiny_snapshot, tmp_path)
    other.load_state_dict(model.state_dict())
