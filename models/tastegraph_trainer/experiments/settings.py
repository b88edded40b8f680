"""Settings the experiments share."""

# Settings measured on the 2-core CPU machine (models/README.md, "Measured").
BENCH_DEFAULTS = {
    "lightgcn": {"batch_size": 4096, "lr": 5e-3},
    "socialgcn": {"batch_size": 4096, "lr": 5e-3},
    "mf": {"batch_size": 4096, "lr": 5e-3},
}
