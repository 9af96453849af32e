"""Train the sentiment head on labelled messages: `escalation train-sentiment`."""
