"""The model zoo, one module per model family. None of the models knows about a dataset: each gets
sizes and graph tensors (its buffers) and offers the hooks of `base.Recommender`; the builders
that make them from a configuration and a prepared split are in `registry.py`."""

from .base import Batch, Recommender, count_parameters, score
from .denoise import DenoiseGCN
from .gat import GAT, GATLayer, gat_edges
from .gcn import GCN, GCNLayer
from .graphsage import GraphSAGE, SageLayer, SageUserEncoder
from .lightgcn import LightGCN
from .mf import MF
from .ngcf import NGCF, NGCFLayer
from .padded import InputEncoder, PaddedMean, keep_inputs, masked_mean
from .pinsage import HardNegatives, PinSage, PinSageConv, PinSageUserEncoder
from .popularity import MostPop
from .socialgcn import SocialGCN

__all__ = [
    "GAT",
    "GCN",
    "MF",
    "NGCF",
    "Batch",
    "DenoiseGCN",
    "GATLayer",
    "GCNLayer",
    "GraphSAGE",
    "HardNegatives",
    "InputEncoder",
    "LightGCN",
    "MostPop",
    "NGCFLayer",
    "PaddedMean",
    "PinSage",
    "PinSageConv",
    "PinSageUserEncoder",
    "Recommender",
    "SageLayer",
    "SageUserEncoder",
    "SocialGCN",
    "count_parameters",
    "gat_edges",
    "keep_inputs",
    "masked_mean",
    "score",
]
