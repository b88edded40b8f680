import numpy as np
import pytest

from tastegraph_trainer.data import DataError, jaccard_overlap, load_snapshot, split_validation


def test_snapshot_loader_reads_the_contract(tiny_snapshot):
    d = load_snapshot(tiny_snapshot)
    assert (d.n_users, d.n_items) == (4, 5)
    assert d.user_ids == ["alice", "bob", "carol", "dave"]
    assert d.item_ids[2] == "song-c" and d.item_hidden.tolist() == [False, False, True, False, False]
    assert d.item_tags[0] == "rock|indie"
    # train and none rows are training; test rows are the test split
    pairs = sorted(zip(d.train_user.tolist(), d.train_item.tolist()))
    assert pairs == [(0, 0), (0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (2, 4), (3, 4)]
    assert sorted(zip(d.test_user.tolist(), d.test_item.tolist())) == [(0, 3), (1, 4), (2, 0)]
    w = dict(zip(zip(d.train_user.tolist(), d.train_item.tolist()), d.train_weight.tolist()))
    assert w[(0, 0)] == 3.0 and w[(1, 2)] == 2.5
    c = dict(zip(zip(d.train_user.tolist(), d.train_item.tolist()), d.train_count.tolist()))
    assert c[(0, 0)] == 2
    assert d.train_last_ts[(d.train_user == 1) & (d.train_item == 2)][0] == 1700086400000
    assert list(zip(d.friend_a.tolist(), d.friend_b.tolist())) == [(0, 1), (1, 2), (2, 3)]
    assert d.friend_overlap[0] == 0.5 and np.isnan(d.friend_overlap[1]) and d.friend_overlap[2] == 0.0
    assert d.meta["eventWeights"]["like"] == 3


def test_snapshot_loader_rejects_a_wrong_format(tiny_snapshot):
    (tiny_snapshot / "meta.json").write_text('{"format": "something-else/9"}')
    with pytest.raises(DataError, match="format"):
        load_snapshot(tiny_snapshot)


def test_snapshot_loader_rejects_out_of_range_indices(tiny_snapshot):
    with open(tiny_snapshot / "interactions.csv", "a") as f:
        f.write("9,0,1.0,1,0,0,train\n")
    with pytest.raises(DataError, match="out of range"):
        load_snapshot(tiny_snapshot)


def test_validation_split_takes_ten_percent_per_user_seeded_and_keeps_one_training_pair():
    user = np.repeat(np.arange(3), [20, 1, 5])
    v1 = split_validation(user, 3, 0.1, seed=1)
    v2 = split_validation(user, 3, 0.1, seed=1)
    assert np.array_equal(v1, v2)
    assert np.bincount(user[v1], minlength=3).tolist() == [2, 0, 1]  # round(2.0), never the last pair, round(0.5)=1
    assert not np.array_equal(v1, split_validation(user, 3, 0.1, seed=2))


def test_jaccard_of_training_items():
    user = np.array([0, 0, 0, 1, 1, 2])
    item = np.array([1, 2, 3, 2, 3, 9])
    ov = jaccard_overlap(np.array([0, 0, 1]), np.array([1, 2, 2]), user, item, 3, 10)
    assert ov.tolist() == pytest.approx([2 / 3, 0.0, 0.0])
