"""Experiments on top of the trainer core: the CPU/GPU benchmark (`bench`, with the PyTorch Geometric
comparison in `pyg_compare`), the model-zoo report (`report`) and the social probe (`social_probe`).
They import the core; the core never imports them."""
