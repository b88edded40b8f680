import math

import pytest
import torch

from tastegraph_trainer.loss import BPRLoss


def test_bpr_loss_matches_hand_computation():
    pos = torch.tensor([2.0, 0.0])
    neg = torch.tensor([1.0, 0.0])
    eu = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    ep = torch.tensor([[1.0, 1.0], [0.0, 0.0]])
    en = torch.tensor([[0.0, 2.0], [1.0, 0.0]])
    loss, bpr = BPRLoss(l2=0.1)(pos, neg, eu, ep, en)
    expected_bpr = (-math.log(1 / (1 + math.exp(-1.0))) + math.log(2.0)) / 2
    reg = 0.5 * (2 + 2 + 5) / 2  # squared norms summed, halved, per batch row
    assert float(bpr) == pytest.approx(expected_bpr)
    assert float(loss) == pytest.approx(expected_bpr + 0.1 * reg)


def test_bpr_gradient_pushes_positive_above_negative():
    pos = torch.tensor([0.0], requires_grad=True)
    neg = torch.tensor([0.0], requires_grad=True)
    z = torch.zeros(1, 1)
    loss, _ = BPRLoss(0.0)(pos, neg, z, z, z)
    loss.backward()
    assert pos.grad.item() == pytest.approx(-0.5)
    assert neg.grad.item() == pytest.approx(0.5)
