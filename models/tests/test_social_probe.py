import json

import numpy as np
import pytest
import torch

from tastegraph_trainer.blend import BLEND_BETAS, FriendItems, served_friend_edges, standardise
from tastegraph_trainer.experiments.social_probe import friend_smoothing

from test_cli import events, run_cli


def test_friend_items_counts_each_friends_distinct_items():
    # friends 0-1 and 1-2 (both directions); items: u0 {0, 0 again}, u1 {0, 2}, u2 {1, 3}, u3 {4}
    src, dst = np.array([0, 1, 1, 2]), np.array([1, 0, 2, 1])
    user, item = np.array([0, 0, 1, 1, 2, 2, 3]), np.array([0, 0, 0, 2, 1, 3, 4])
    fi = FriendItems(src, dst, user, item, n_users=4, n_items=5)
    got = fi.counts(np.array([0, 1, 3])).numpy()
    np.testing.assert_array_equal(
        got,
        [
            [1, 0, 1, 0, 0],  # u0's friend u1
            [1, 1, 0, 1, 0],  # u1's friends u0 and u2
            [0, 0, 0, 0, 0],
        ],
    )  # u3 has no friends


def test_friend_smoothing_weights_friends_by_similarity():
    users = torch.tensor([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [5.0, 5.0]])
    src, dst = np.array([0, 0, 1, 2]), np.array([1, 2, 0, 0])
    wide = friend_smoothing(users, src, dst, tau=1e6)  # softmax of ~equal logits: the plain mean
    torch.testing.assert_close(wide[0], (users[1] + users[2]) / 2, atol=1e-5, rtol=0)
    sharp = friend_smoothing(users, src, dst, tau=0.01)  # the most similar friend takes it all
    torch.testing.assert_close(sharp[0], users[1], atol=1e-4, rtol=0)
    torch.testing.assert_close(sharp[1], users[0])  # one friend: weight 1
    assert torch.equal(sharp[3], torch.zeros(2))  # no friends: nothing added


def test_standardise_rows():
    x = torch.tensor([[1.0, 2.0, 3.0, 6.0], [4.0, 4.0, 4.0, 4.0]])
    z = standardise(x)
    torch.testing.assert_close(z[0].mean(), torch.tensor(0.0), atol=1e-6, rtol=0)
    torch.testing.assert_close(z[0].std(), torch.tensor(1.0))
    assert torch.equal(z[1], torch.zeros(4))
    assert torch.equal(z[0].argsort(), x[0].argsort())


def test_probe_reports_each_use_of_friends_against_the_run(tiny_snapshot, tmp_path):
    out = tmp_path / "run"
    r = run_cli(
        "train",
        "--model",
        "lightgcn",
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
    )
    assert r.returncode == 0, r.stderr
    trained = json.loads((out / "metrics.json").read_text())

    p = run_cli("social-probe", "--run", str(out))
    assert p.returncode == 0, p.stderr
    ev = events(p.stdout)
    assert ev[0]["event"] == "started" and ev[-1]["event"] == "done"
    probes = [e for e in ev if e["event"] == "probe"]
    assert {e["probe"] for e in probes} == {"run", "friends", "blend", "smooth"}
    assert all(0 <= e["validation"]["recall@20"] <= 1 for e in probes)
    m = ev[-1]["metrics"]
    assert m["run_dir"] == str(out) and m["model"] == "lightgcn"
    # the run's own figures are the trainer's, on the same rebuilt split
    assert m["run"]["test"]["recall@20"] == pytest.approx(trained["test"]["recall@20"], abs=1e-6)
    assert m["run"]["validation"]["recall@20"] == pytest.approx(trained["validation"]["recall@20"], abs=1e-6)
    # β = 0 is in every grid: a probe never picks worse than the run on validation
    for probe in ("blend", "smooth"):
        assert m[probe]["validation"]["recall@20"] >= m["run"]["validation"]["recall@20"] - 1e-9
        assert "beta" in m[probe] and "test_recall@20_vs_run" in m[probe]
    assert "tau" in m["smooth"]


def test_probe_without_a_run_folder_is_a_configuration_error(tmp_path):
    r = run_cli("social-probe", "--run", str(tmp_path / "nothing"))
    assert r.returncode == 2
    assert "config.json is missing" in r.stderr


def test_served_friend_edges_are_every_friendship_both_ways_less_what_attention_dropped():
    class Data:
        n_users = 4
        friend_a, friend_b = np.array([0, 1]), np.array([1, 2])

    a, b = served_friend_edges(Data())
    assert sorted(zip(a.tolist(), b.tolist())) == [(0, 1), (1, 0), (1, 2), (2, 1)]
    # the model saw 0->1, 1->0 and 1->2; its filter dropped 1->0 only (2->1 was never a model edge)
    a, b = served_friend_edges(Data(), np.array([0, 1, 1]), np.array([1, 0, 2]), np.array([True, False, True]))
    assert sorted(zip(a.tolist(), b.tolist())) == [(0, 1), (1, 2), (2, 1)]


def test_train_picks_the_weight_of_friends_picks_on_validation(tiny_snapshot, tmp_path):
    common = [
        "--model",
        "lightgcn",
        "--snapshot",
        str(tiny_snapshot),
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
        "--no-export",
    ]
    r = run_cli("train", *common, "--out", str(tmp_path / "auto"))
    assert r.returncode == 0, r.stderr
    m = events(r.stdout)[-1]["metrics"]
    fb = m["friends_blend"]
    assert fb["beta"] in (0.0, *BLEND_BETAS)
    # β = 0 is the model alone: never worse than it on validation, and then the same test figures
    assert fb["validation"]["recall@20"] >= m["validation"]["recall@20"] - 1e-9
    if fb["beta"] == 0:
        assert fb["test"]["recall@20"] == pytest.approx(m["test"]["recall@20"], abs=1e-6)
    assert any(e["event"] == "friends_blend" for e in events(r.stdout))

    fixed = events(run_cli("train", *common, "--out", str(tmp_path / "fixed"), "--friends-beta", "0.5").stdout)
    assert fixed[-1]["metrics"]["friends_blend"]["beta"] == 0.5
    off = events(run_cli("train", *common, "--out", str(tmp_path / "off"), "--friends-beta", "off").stdout)
    assert "friends_blend" not in off[-1]["metrics"]
    bad = run_cli("train", *common, "--out", str(tmp_path / "bad"), "--friends-beta", "-1")
    assert bad.returncode == 2 and "--friends-beta: must be auto, off or a number >= 0" in bad.stderr
