"""TasteGraph trainer: graph recommenders (MostPop, MF-BPR, LightGCN, SocialGCN) and their ONNX export."""

__version__ = "0.1.0"
