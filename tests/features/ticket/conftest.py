"""The ticket-feature tests share a small history in `ticket_history.py`. Under pytest's importlib
import mode test folders are not on sys.path, so this folder is put there for that one module."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
