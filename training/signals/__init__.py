"""Training and measuring the learned conflict-signal head, and the held-out split of labelled messages."""
