"""On the real datasets: the MostPop table of EVALUATION.md to 4 decimals, and a short run that beats it."""

import numpy as np
import pytest

from tastegraph_trainer.data import load_dataset
from tastegraph_trainer.evaluation import evaluate, make_eval_set
from tastegraph_trainer.zoo import MostPop

# EVALUATION.md, "Reference numbers"
MOSTPOP = {
    "lastfm": {
        "recall@10": 0.0712,
        "ndcg@10": 0.0827,
        "precision@10": 0.0690,
        "recall@20": 0.1026,
        "ndcg@20": 0.0946,
        "precision@20": 0.0500,
    },
    "ciao": {
        "recall@10": 0.0269,
        "ndcg@10": 0.0301,
        "precision@10": 0.0196,
        "recall@20": 0.0385,
        "ndcg@20": 0.0324,
        "precision@20": 0.0140,
    },
    "gowalla": {
        "recall@10": 0.0292,
        "ndcg@10": 0.0285,
        "precision@10": 0.0195,
        "recall@20": 0.0416,
        "ndcg@20": 0.0317,
        "precision@20": 0.0139,
    },
}
COUNTS = {
    "lastfm": (1892, 17632, 74267, 18567, 12717, 1881, 24),
    "ciao": (7375, 105114, 227268, 56818, 43690, 6904, 4133),
    "gowalla": (29858, 40981, 810128, 217242, 0, 29858, 18654),
}


def mostpop_test_metrics(name, d):
    pop = np.bincount(d.train_item, weights=d.train_count, minlength=d.n_items)  # training rows per item
    model = MostPop(d.n_users, d.n_items, pop)
    es = make_eval_set(d.test_user, d.test_item, d.train_user, d.train_item, d.n_users, d.n_items)
    rows = np.bincount(d.train_user, weights=d.train_count, minlength=d.n_users)
    u, i = model.embeddings()
    return evaluate(u, i, es, slices={"cold_start": rows <= 20})


@pytest.mark.parametrize(
    "name", ["lastfm", pytest.param("ciao", marks=pytest.mark.slow), pytest.param("gowalla", marks=pytest.mark.slow)]
)
def test_mostpop_reproduces_the_reference_table(name, dataset_dir):
    d = load_dataset(name, dataset_dir(name))
    users, items, train_rows, test_rows, friendships, test_users, cold_users = COUNTS[name]
    assert (d.n_users, d.n_items, int(d.train_count.sum()), len(d.test_user), len(d.friend_a)) == (
        users,
        items,
        train_rows,
        test_rows,
        friendships,
    )
    m = mostpop_test_metrics(name, d)
    assert m["users"] == test_users
    assert m["cold_start"]["users"] == cold_users
    for key, want in MOSTPOP[name].items():
        assert round(m[key], 4) == pytest.approx(want, abs=1e-9), key


@pytest.mark.slow
def test_short_lightgcn_run_on_lastfm_beats_mostpop(dataset_dir, tmp_path):
    import io

    from tastegraph_trainer.config import TrainConfig
    from tastegraph_trainer.events import EventWriter

    cfg = TrainConfig(
        model="lightgcn",
        out=str(tmp_path / "run"),
        dataset="lastfm",
        data_dir=str(dataset_dir("lastfm")),
        epochs=4,
        eval_every=2,
        batch_size=8192,
        lr=0.02,
        export=False,
    ).validate()
    from tastegraph_trainer.train import run

    m = run(cfg, EventWriter(io.StringIO()))
    assert m["test"]["recall@20"] > MOSTPOP["lastfm"]["recall@20"] * 1.2
    assert m["test"]["ndcg@20"] > MOSTPOP["lastfm"]["ndcg@20"]
