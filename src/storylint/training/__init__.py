"""Training and evaluation helpers (corpora readers, synthetic scripts). Never imported by `check`."""
