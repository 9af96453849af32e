"""The rules tests share builders in `sla_helpers.py`. Under pytest's importlib import mode test
folders are not on sys.path, so this folder is put there for that one helper module."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
