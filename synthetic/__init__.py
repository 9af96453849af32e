"""Seeded generator of realistic synthetic ticket histories: the committed sample (data/sample) and
benchmark histories, behind `escalation generate-sample`. It needs only core; no package of ours imports
it (the CLI names it lazily), so training and serving never depend on how the sample was made."""
