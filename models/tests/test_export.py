import numpy as np
import onnx
import pytest
import torch

from tastegraph_trainer.export import export_encoder, export_scorer, save_npy
from tastegraph_trainer.foldin import FoldInEncoder, pad_lists

ort = pytest.importorskip("onnxruntime")


def _session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_scorer_onnx_matches_pytorch(tmp_path):
    torch.manual_seed(0)
    items = torch.randn(50, 16)
    path = tmp_path / "scorer.onnx"
    export_scorer(items, path)
    model = onnx.load(str(path), load_external_data=False)
    assert model.opset_import[0].version <= 17
    # the weights live beside the model (mapped by onnxruntime), with the model's file mode
    weights = tmp_path / "scorer.onnx.data"
    assert weights.stat().st_size == 50 * 16 * 4
    assert [e.value for e in model.graph.initializer[0].external_data if e.key == "location"] == ["scorer.onnx.data"]
    assert weights.stat().st_mode == path.stat().st_mode
    export_scorer(items, path)  # a second export into the same folder replaces the file, it does not append
    assert weights.stat().st_size == 50 * 16 * 4
    users = torch.randn(7, 16)
    (scores,) = _session(path).run(["scores"], {"user_emb": users.numpy()})
    assert scores.shape == (7, 50)
    np.testing.assert_allclose(scores, (users @ items.T).numpy(), atol=1e-4)


def test_encoder_onnx_matches_pytorch_with_dynamic_sizes(tmp_path):
    torch.manual_seed(0)
    items, users = torch.randn(30, 8), torch.randn(12, 8)
    enc = FoldInEncoder(items, users, torch.arange(30, dtype=torch.float32), social_share=0.3).eval()
    path = tmp_path / "encoder.onnx"
    export_encoder(enc, path)
    sess = _session(path)
    assert [i.name for i in sess.get_inputs()] == ["item_idx", "item_w", "item_mask", "friend_idx", "friend_mask"]
    for k_items, k_friends in ((5, 3), (9, 1)):
        item_lists = [list(range(k_items)), [3, 7], []]
        friend_lists = [list(range(k_friends)), [], [4]]
        ii, iw, im = pad_lists(item_lists, [[1.0 + j for j in range(len(x))] for x in item_lists])
        fi, _, fm = pad_lists(friend_lists)
        expected = enc(ii, iw, im, fi, fm).detach().numpy()
        (got,) = sess.run(
            ["user_emb"],
            {
                "item_idx": ii.numpy(),
                "item_w": iw.numpy(),
                "item_mask": im.numpy(),
                "friend_idx": fi.numpy(),
                "friend_mask": fm.numpy(),
            },
        )
        assert got.shape == (3, 8)
        np.testing.assert_allclose(got, expected, atol=1e-4)


def test_foldin_without_friends_is_the_weighted_item_mean_direction():
    items = torch.tensor([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    enc = FoldInEncoder(items, torch.zeros(1, 2), torch.ones(3), social_share=0.9)
    ii, iw, im = pad_lists([[0, 1]], [[3.0, 1.0]])
    fi, _, fm = pad_lists([[]])
    u = enc(ii, iw, im, fi, fm)[0]
    expected = torch.tensor([3.0, 1.0]) / torch.tensor([3.0, 1.0]).norm()
    torch.testing.assert_close(u, expected)


def test_npy_files_are_little_endian_float32_version_1(tmp_path):
    path = tmp_path / "e.npy"
    save_npy(np.arange(6, dtype=np.float64).reshape(2, 3), path)
    raw = path.read_bytes()
    assert raw[:6] == b"\x93NUMPY" and raw[6:8] == b"\x01\x00"
    arr = np.load(path)
    assert arr.dtype == np.dtype("<f4") and arr.shape == (2, 3)
