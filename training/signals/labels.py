"""Signal labels kept without their texts, and joined back to them.

The messages of public datasets may not be copied into the repository, but labels made for them may: a labels
file holds, per message, the source dataset's row id (`source_id`), a hash of the text (`text_sha256`, the
first 16 hex digits of the SHA-256 of the text as the source has it, whitespace collapsed) and the nine signal
columns. `attach_texts` joins such a file to the user's copy of the source (CSV with `source_id`, `text` and
optional `sentiment` and `lang`, as the shared sentiment files are), checks every text against its hash, and
gives rows `train-signals` reads. `strip_texts` makes a labels file from labelled messages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from core.errors import Problem
from training.sentiment.data import LabelledDataError, read_all
from training.signals.data import SIGNALS, read_messages

LABEL_COLUMNS = ("source_id", "text_sha256", *SIGNALS)


def text_digest(text: str) -> str:
    """The hash a labels file keeps of a text: whitespace collapsed, as every reader of messages does."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def strip_texts(labelled: Path, source_ids: pd.Series) -> pd.DataFrame:
    """The labels of `labelled` (as `read_messages` reads it, every signal column given) without their texts:
    `source_ids` is the source's row id of each of its rows, in order."""
    frame = read_messages([labelled])
    if len(source_ids) != len(frame):
        raise ValueError(f"{len(source_ids)} source ids for the {len(frame)} messages of {labelled}")
    missing = [s for s in SIGNALS if frame[s].isna().any()]
    if missing:
        raise LabelledDataError([Problem(str(labelled), f"missing signal columns {missing}; a labels file "
                                         "holds all nine")])
    out = pd.DataFrame({"source_id": source_ids.to_numpy(), "text_sha256": frame.text.map(text_digest)})
    for signal in SIGNALS:
        out[signal] = frame[signal].astype(int).to_numpy()
    return out


def attach_texts(labels: Path, sources: list[Path]) -> pd.DataFrame:
    """Rows with `text`, `lang`, `sentiment` (from the source, "" where it has none), the nine signals and
    `source_id`, in the labels file's order. Raises LabelledDataError naming every label row whose id is not
    in the sources or whose text there does not match the hash (another version of the dataset)."""
    source = read_all(sources, _read_source)
    by_id = source.drop_duplicates("source_id").set_index("source_id")

    def read_labels(path: Path, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
        missing = [c for c in LABEL_COLUMNS if c not in raw.columns]
        if missing:
            return raw, [Problem(str(path), f"missing columns {missing}; a labels file has "
                                            f"{','.join(LABEL_COLUMNS)}", row=1)]
        found = []
        for i, (sid, digest) in enumerate(zip(raw.source_id, raw.text_sha256, strict=True)):
            if sid not in by_id.index:
                found.append(Problem(str(path), "no row with this source_id in the sources", row=i + 2,
                                     column="source_id", value=sid))
            elif text_digest(str(by_id.at[sid, "text"])) != digest.strip():
                found.append(Problem(str(path), "the source's text for this id does not match the hash: "
                                     "another version of the dataset", row=i + 2, column="text_sha256"))
        for signal in SIGNALS:
            for i in raw.index[~raw[signal].str.strip().isin(["0", "1"])]:
                found.append(Problem(str(path), "a signal is 0 or 1", row=int(i) + 2, column=signal,
                                     value=str(raw[signal].at[i])))
        return raw, found

    raw = read_all([labels], read_labels)
    rows = by_id.loc[raw.source_id]
    out = pd.DataFrame({"text": rows.text.to_numpy(), "lang": rows.lang.to_numpy(),
                        "sentiment": rows.sentiment.to_numpy()})
    for signal in SIGNALS:
        out[signal] = raw[signal].str.strip().astype(int).to_numpy()
    out["source_id"] = raw.source_id.to_numpy()
    return out


def _read_source(path: Path, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    missing = [c for c in ("source_id", "text") if c not in raw.columns]
    if missing:
        return raw, [Problem(str(path), f"missing columns {missing}; a source has source_id,text"
                                        "[,sentiment][,lang]", row=1)]
    frame = pd.DataFrame({"source_id": raw.source_id, "text": raw.text,
                          "sentiment": raw.get("sentiment", ""), "lang": raw.get("lang", "")})
    return frame, []
