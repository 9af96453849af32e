"""Fine-tune the shared multilingual encoder once on labelled customer messages: `escalation tune-encoder`."""
