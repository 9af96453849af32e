"""Point-in-time feature frames on Dask: the history is cut into partitions of whole tickets, and every
partition's rows are built on a worker by the very function a single process (and serving) calls,
`features.ticket.build_feature_rows`.

A ticket's features also read other tickets (its customer's history, its assignee's load) as of t. Those
facts come from per-ticket summaries (`features.ticket.summarise`): the workers summarise their own
tickets, the summaries are gathered into one `HistoryContext` here, and that context is broadcast to every
worker once. The rows come back with their example positions and are put back in example order, so the
frame is the single-process frame row for row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from core.errors import ConfigError
from core.lru import Lru
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from features.history import TicketHistory
from features.ticket import DEFAULT_SPEC, HistoryContext, TicketSummary, build_feature_rows, history_pairs
from features.ticket import summarise as summarise_ticket
from rules import PolicySet, parse_policies

if TYPE_CHECKING:
    from distributed import Client, Future

PARTS_PER_WORKER = 4  # more partitions than workers: a slow partition does not hold the others back
# policy file text hash -> the compiled set, in each worker process (compiled policies hold closures: a
# worker receives the file's text and compiles it once)
_POLICIES: dict[str, PolicySet] = {}
# partition key -> its tickets converted for feature building (`history_pairs`), in each worker process: the
# summaries, the training rows and every batch-scoring instant read a partition's tickets, converted once
KEPT_PARTITIONS = 2 * PARTS_PER_WORKER
_PAIRS: Lru[str, dict[str, tuple[Ticket, list[Event]]]] = Lru(KEPT_PARTITIONS, lambda _: 1)  # one a partition


class DaskFrames:
    """Builds feature frames on `client`'s workers; partitions are cut once per history and kept there."""

    def __init__(self, client: Client, *, parts_per_worker: int = PARTS_PER_WORKER) -> None:
        self.client = client
        self.parts_per_worker = parts_per_worker
        self._history: TicketHistory | None = None
        self._parts: list[tuple[np.ndarray, Future]] = []  # (ticket ids, the partition on its worker)
        self._context: Future | None = None
        self._summaries: list[TicketSummary] | None = None

    def partitions(self, history: TicketHistory) -> list[tuple[np.ndarray, Future]]:
        """The history in partitions of whole tickets (contiguous in ticket order), one per task."""
        if self._history is not history:
            from training.cluster import worker_count

            count = max(1, min(len(history.tickets), worker_count(self.client) * self.parts_per_worker))
            ids = np.array_split(history.tickets.index.to_numpy(), count)
            parts = [_subhistory(history, chunk) for chunk in ids]
            futures = self.client.scatter(parts)
            self._parts = list(zip(ids, futures, strict=True))
            self._history, self._context, self._summaries = history, None, None
        return self._parts

    def summaries(self, history: TicketHistory, *, progress: bool = False) -> list[TicketSummary]:
        """Every ticket's summary (`features.ticket.summarise`), built on the workers (once a history)."""
        parts = self.partitions(history)
        if self._summaries is None:
            futures = [self.client.submit(_summarise, f, _name(f), pure=False) for _, f in parts]
            done = _gather(self.client, futures, progress, "summaries")
            self._summaries = [s for part in done for s in part]
        return self._summaries

    def context(self, history: TicketHistory, *, progress: bool = False) -> Future:
        """The cross-ticket context of the whole history, broadcast to every worker (built once)."""
        self.partitions(history)
        if self._context is None:
            context = HistoryContext.from_summaries(self.summaries(history, progress=progress))
            self._context = self.client.scatter(context, broadcast=True)
        return self._context

    def build(
        self,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame:
        """The raw feature rows of `examples` (ticket_id, at), in example order: `FeatureSpec.encode`
        input, exactly what `build_feature_frame` builds before encoding."""
        context = self.context(history, progress=progress)
        tickets = examples["ticket_id"].astype(str).to_numpy()
        order = pd.Series(np.arange(len(examples)))
        policies_f = self.client.scatter(policy_text(policies), broadcast=True)
        futures = []
        for ids, part in self.partitions(history):
            mine = np.isin(tickets, ids)
            if not mine.any():
                continue
            chosen = examples.loc[mine, ["ticket_id", "at"]].reset_index(drop=True)
            chosen.index = order[mine].to_numpy()
            texts = _analyses_of(history, ids, analyses)
            task = self.client.submit(
                _features, part, _name(part), chosen, texts, policies_f, context, pure=False
            )
            futures.append(task)
        frames = _gather(self.client, futures, progress, "features")
        raw = pd.concat(frames) if frames else pd.DataFrame(columns=DEFAULT_SPEC.names)
        return raw.sort_index().reset_index(drop=True)


def policy_text(policies: PolicySet) -> str:
    """The text of the file `policies` was read from, checked to compile to the same version."""
    path = Path(policies.source)
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    if text is None or parse_policies(text, policies.source).version != policies.version:
        raise ConfigError(
            f"the SLA policies ({policies.source}) are not those of a readable policy file; Dask workers "
            "compile the file's text themselves: load the policies with rules.load_policies(PATH)"
        )
    return text


def _compiled(text: str) -> PolicySet:
    found = _POLICIES.get(text)
    if found is None:
        found = _POLICIES[text] = parse_policies(text, "<policies from the client>")
    return found


def _subhistory(history: TicketHistory, ids: np.ndarray) -> TicketHistory:
    events = history.events
    mine = events[events["ticket_id"].isin(ids)].reset_index(drop=True)
    return TicketHistory(history.tickets.loc[ids], mine)


def _analyses_of(
    history: TicketHistory, ids: np.ndarray, analyses: Mapping[str, MessageAnalysis]
) -> dict[str, MessageAnalysis]:
    if not analyses:
        return {}
    events = history.events
    wanted = events.loc[events["ticket_id"].isin(ids), "event_id"].astype(str)
    return {e: analyses[e] for e in wanted if e in analyses}


def _name(part: Future) -> str:
    """What a partition's converted tickets are kept under on a worker: its key, not itself a key (a task
    argument that names a key could be read as that key's data)."""
    return f"converted {part.key}"


def _converted(part: TicketHistory, key: str) -> dict[str, tuple[Ticket, list[Event]]]:
    """The partition's tickets as feature building reads them, converted once a worker and kept for the
    last `KEPT_PARTITIONS` partitions this worker has read."""
    found = _PAIRS.get(key)  # a hit becomes the most recently used
    if found is None:
        found = history_pairs(part)
        _PAIRS.put(key, found)
    return found


def _summarise(part: TicketHistory, key: str) -> list[TicketSummary]:
    return [summarise_ticket(ticket, events) for ticket, events in _converted(part, key).values()]


def _features(
    part: TicketHistory,
    key: str,
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis],
    policies: str,
    context: HistoryContext,
) -> pd.DataFrame:
    rows = build_feature_rows(
        _converted(part, key), examples, analyses, _compiled(policies), context, progress=False
    )
    return pd.DataFrame.from_records(rows, columns=DEFAULT_SPEC.names, index=examples.index)


def _gather(
    client: Client, futures: Sequence[Future], progress: bool, what: str
) -> list[Any]:
    """Results in submission order; a bar counts finished tasks as they come (any order)."""
    from distributed import as_completed

    with tqdm(total=len(futures), disable=not progress, unit="part", desc=f"{what} (dask)") as bar:
        for _ in as_completed(futures):
            bar.update(1)
    return list(client.gather(list(futures)))
