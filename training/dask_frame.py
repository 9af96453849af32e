"""Point-in-time feature frames on Dask: the history is cut into partitions of whole tickets, and every
partition's rows are built on a worker by the very function a single process (and serving) calls,
`features.ticket.build_feature_rows`.

A ticket's features also read other tickets (its customer's history, its assignee's load) as of t. Those
facts come from per-ticket summaries (`features.ticket.summarise`): the workers summarise their own
tickets, one worker gathers the summaries into one `HistoryContext`, and every worker that builds rows
keeps a copy of its own, fetched once a history (`DaskFrames.contexts`). The client holds neither the
summaries nor the context (batch scoring asks for the summaries, which are gathered then).

For training (`DaskFrames.frame`) each worker encodes its partition's rows itself (`FeatureSpec.encode`
with the categories its rows hold) and returns them as arrays: float64 numerics and category codes, with
the examples' positions. The client only merges the category lists, maps each block's codes onto them and
puts the arrays in example order, so the frame is the single-process frame row for row (tested), without
a Python value per feature on the client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from core.errors import ConfigError, NotFoundError
from core.lru import Lru
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from features.history import TicketHistory
from features.model import EscalationModel
from features.ticket import DEFAULT_SPEC, HistoryContext, TicketSummary, build_feature_rows, history_pairs
from features.ticket import summarise as summarise_ticket
from rules import PolicySet, parse_policies
from training.batch_scores import SCORE_COLUMNS, score_examples

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
_NUMERIC = [f.name for f in DEFAULT_SPEC.features if f.kind == "numeric"]


@dataclass(frozen=True, slots=True)
class Block:
    """A partition's encoded rows as arrays: `numbers` (numeric features x rows, float64, spec order),
    `codes` (categorical feature -> codes into its `categories`, -1 missing) and each row's example
    `positions`."""

    positions: np.ndarray
    numbers: np.ndarray
    codes: dict[str, np.ndarray]
    categories: dict[str, tuple[str, ...]]


class DaskFrames:
    """Builds feature frames on `client`'s workers; partitions are cut once per history and kept there."""

    def __init__(self, client: Client, *, parts_per_worker: int = PARTS_PER_WORKER) -> None:
        self.client = client
        self.parts_per_worker = parts_per_worker
        self._history: TicketHistory | None = None
        self._parts: list[tuple[np.ndarray, Future]] = []  # (ticket ids, the partition on its worker)
        self._holders: dict[object, list[str]] = {}  # partition key -> the worker that holds it
        self._tickets = pd.Index([])  # every ticket id, in partition order
        self._starts = np.zeros(1, dtype="int64")  # each partition's first position in `_tickets`
        self._summarised: list[Future] | None = None  # each partition's summaries, on its worker
        self._context: Future | None = None
        self._contexts: dict[str, Future] | None = None  # worker -> the context kept there, a key of its own
        self._summaries: list[TicketSummary] | None = None
        self._policies: dict[str, Future] = {}  # policy file text -> that text on the workers
        self._model: tuple[EscalationModel, Future] | None = None  # the last model used, on the workers

    def partitions(self, history: TicketHistory) -> list[tuple[np.ndarray, Future]]:
        """The history in partitions of whole tickets (contiguous in ticket order), one per task."""
        if self._history is not history:
            from training.cluster import worker_count

            count = max(1, min(len(history.tickets), worker_count(self.client) * self.parts_per_worker))
            ids = np.array_split(history.tickets.index.to_numpy(), count)
            parts = [_subhistory(history, chunk) for chunk in ids]
            futures = self.client.scatter(parts)
            self._parts = list(zip(ids, futures, strict=True))
            self._holders = {key: list(found) for key, found in self.client.who_has(futures).items()}
            self._tickets = history.tickets.index
            self._starts = np.cumsum([0] + [len(chunk) for chunk in ids[:-1]]).astype("int64")
            self._history, self._summarised, self._context, self._summaries = history, None, None, None
            self._contexts = None
        return self._parts

    def summaries(self, history: TicketHistory, *, progress: bool = False) -> list[TicketSummary]:
        """Every ticket's summary (`features.ticket.summarise`), built on the workers (once a history) and
        gathered here (batch scoring reads them; training does not)."""
        futures = self._summary_parts(history)
        if self._summaries is None:
            done = _gather(self.client, futures, progress, "summaries")
            self._summaries = [s for part in done for s in part]
        return self._summaries

    def context(self, history: TicketHistory, *, progress: bool = False) -> Future:
        """The cross-ticket context of the whole history, built once on a worker from the summaries the
        workers hold; each worker that builds rows keeps a copy (`contexts`; the client never holds it)."""
        futures = self._summary_parts(history)
        if self._context is None:
            if progress:
                _wait(futures, progress, "summaries")
            self._context = self.client.submit(_context, *futures, pure=False)
        return self._context

    def contexts(self, history: TicketHistory, *, progress: bool = False) -> dict[str, Future]:
        """The context on every worker that holds a partition, each copy under a key of its own, made once
        a history. A worker that had only fetched the one context for its tasks lost it again to Dask's
        memory manager (it drops the replicas no waiting task needs) and fetched it anew for every
        instant: at 1M events 23 MB pickled, ~5 s to send and read each time, which made batch scoring
        on 2 workers slower than on 1."""
        context = self.context(history, progress=progress)
        if self._contexts is None:
            workers = sorted({w for found in self._holders.values() for w in found})
            self._contexts = {
                w: self.client.submit(_kept, context, workers=[w], allow_other_workers=False, pure=False)
                for w in workers
            }
        return self._contexts

    def build(
        self,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame:
        """The raw feature rows of `examples` (ticket_id, at), in example order: `FeatureSpec.encode`
        input, exactly what `build_feature_frame` builds before encoding (batch scoring reads these)."""
        done = self._run(_rows, history, examples, analyses, policies, progress)
        return _in_example_order(done, DEFAULT_SPEC.names)

    def scores(
        self,
        model: EscalationModel,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame:
        """`training.batch_scores.SCORE_COLUMNS` of `examples` (ticket_id, at), in example order: each
        partition's rows built and scored on its worker (the model's risk and reasons: `score_rows`), so
        the client only puts the blocks in order. The model is sent to the workers once a model."""
        done = self._run(_scores, history, examples, analyses, policies, progress, self._model_file(model))
        return _in_example_order(done, list(SCORE_COLUMNS))

    def frame(
        self,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame:
        """The encoded feature frame of `examples` (ticket_id, at), in example order (index 0..n-1):
        `DEFAULT_SPEC` with the open categoricals' categories from these rows, exactly what
        `build_feature_frame` gives. Encoded on the workers; the client only merges the blocks."""
        blocks = self._run(_block, history, examples, analyses, policies, progress)
        return assemble(blocks, len(examples))

    def _summary_parts(self, history: TicketHistory) -> list[Future]:
        parts = self.partitions(history)
        if self._summarised is None:
            self._summarised = [self._on_holder(_summarise, f, _name(f)) for _, f in parts]
        return self._summarised

    def _model_file(self, model: EscalationModel) -> Future:
        """The model on every worker, sent once (under a key of its own, as the policy file)."""
        if self._model is None or self._model[0] is not model:
            self._model = (model, self.client.scatter(model, broadcast=True, hash=False))
        return self._model[1]

    def _policy_file(self, policies: PolicySet) -> Future:
        """The policy file's text on the workers, sent once and kept. Under a key of its own: the same
        text scattered again under its content's key can be forgotten by the scheduler as an earlier
        future of that key is released (a task then finds its data lost)."""
        text = policy_text(policies)
        found = self._policies.get(text)
        if found is None:
            found = self._policies[text] = self.client.scatter(text, broadcast=True, hash=False)
        return found

    def _run(
        self,
        task: Any,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool,
        *extra: Any,
    ) -> list[Any]:
        """`task` on every partition that has examples, with those examples and their positions (and
        `extra`, futures or values, last); the results in partition order."""
        contexts = self.contexts(history, progress=progress)
        parts = self.partitions(history)
        groups = _by_partition(self._tickets, self._starts, examples["ticket_id"])
        policies_f = self._policy_file(policies)
        futures = []
        for (ids, part), positions in zip(parts, groups, strict=True):
            if not len(positions):
                continue
            chosen = examples[["ticket_id", "at"]].take(positions).reset_index(drop=True)
            texts = _analyses_of(history, ids, analyses)
            futures.append(
                self._on_holder(
                    task,
                    part,
                    _name(part),
                    chosen,
                    positions,
                    texts,
                    policies_f,
                    contexts[self._holders[part.key][0]],
                    *extra,
                )
            )
        return _gather(self.client, futures, progress, "features")

    def _on_holder(self, task: Any, part: Future, *args: Any) -> Future:
        """`task(part, *args)` on the worker that holds `part` and keeps its converted tickets. Dask
        sizes a partition by its Python object (bytes, not its frames), so left free it moves a task to
        an idle worker as cheap to feed; that worker then converts the partition again (at 1M events,
        batch scoring on 2 workers ran at 0.45x one worker's rate). The restriction is strict: a loose one
        may still be stolen by another worker."""
        return self.client.submit(
            task, part, *args, workers=self._holders[part.key], allow_other_workers=False, pure=False
        )


def _in_example_order(done: Sequence[tuple[np.ndarray, pd.DataFrame]], columns: list[str]) -> pd.DataFrame:
    """The partitions' frames (each with its examples' positions) as one frame in example order."""
    if not done:
        return pd.DataFrame(columns=columns)
    positions = np.concatenate([p for p, _ in done])
    frame = pd.concat([rows for _, rows in done], ignore_index=True)
    return frame.take(np.argsort(positions, kind="stable")).reset_index(drop=True)


def assemble(blocks: Sequence[Block], count: int) -> pd.DataFrame:
    """The frame of `count` examples from the workers' blocks: each open categorical's categories are the
    sorted union of the blocks' (the values seen in all rows, as `with_categories_from` finds them), each
    block's codes are mapped onto them, and every array is put in example order."""
    positions = np.concatenate([b.positions for b in blocks]) if blocks else np.zeros(0, dtype="int64")
    if len(positions) != count or (count and not np.array_equal(np.sort(positions), np.arange(count))):
        raise ValueError(f"the blocks hold {len(positions)} rows for {count} examples, not each once")
    # the partitions are contiguous in ticket order, so training's examples (ordered by ticket) come back
    # in order and `order` is needed only for examples in another order
    order = None if bool((positions[1:] > positions[:-1]).all()) else np.argsort(positions, kind="stable")
    if blocks:
        numbers = np.concatenate([b.numbers for b in blocks], axis=1)
        numbers = numbers if order is None else numbers[:, order]
    else:
        numbers = np.zeros((len(_NUMERIC), 0), dtype="float64")
    columns: dict[str, Any] = dict(zip(_NUMERIC, numbers, strict=True))
    for f in DEFAULT_SPEC.features:
        if f.kind != "categorical":
            continue
        known = f.categories
        if known is None:  # open: the values seen in any block, sorted
            known = tuple(sorted({c for b in blocks for c in b.categories[f.name]}))
        wanted = pd.Index(list(known))
        codes = [_recode(b.codes[f.name], b.categories[f.name], wanted) for b in blocks]
        merged = np.concatenate(codes) if codes else np.zeros(0, dtype="int64")
        merged = merged if order is None else merged[order]
        columns[f.name] = pd.Categorical.from_codes(merged, dtype=pd.CategoricalDtype(list(known)))
    return pd.DataFrame({name: columns[name] for name in DEFAULT_SPEC.names})


def _recode(codes: np.ndarray, categories: tuple[str, ...], wanted: pd.Index) -> np.ndarray:
    """Codes into `categories` as codes into `wanted` (a superset): -1 stays missing."""
    lookup = np.append(wanted.get_indexer(pd.Index(list(categories))), -1)  # code -1 reads the last entry
    return lookup[codes]


def policy_text(policies: PolicySet) -> str:
    """The text of the file `policies` was read from, checked to compile to the same version."""
    path = Path(policies.source)
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    if text is None or _version_of(text, policies.source) != policies.version:
        raise ConfigError(
            f"the SLA policies ({policies.source}) are not those of a readable policy file; Dask workers "
            "compile the file's text themselves: load the policies with rules.load_policies(PATH)"
        )
    return text


@lru_cache(maxsize=8)
def _version_of(text: str, source: str) -> str:
    """The version a policy file's text compiles to, compiled once a text (half a second a file)."""
    return parse_policies(text, source).version


def _compiled(text: str) -> PolicySet:
    found = _POLICIES.get(text)
    if found is None:
        found = _POLICIES[text] = parse_policies(text, "<policies from the client>")
    return found


def _subhistory(history: TicketHistory, ids: np.ndarray) -> TicketHistory:
    events = history.events
    mine = events[events["ticket_id"].isin(ids)].reset_index(drop=True)
    return TicketHistory(history.tickets.loc[ids], mine)


def _by_partition(tickets: pd.Index, starts: np.ndarray, ticket_ids: pd.Series) -> list[np.ndarray]:
    """The positions of the examples of each partition, ascending: one hash lookup an example."""
    at = tickets.get_indexer(pd.Index(ticket_ids.astype(str)))
    if len(at) and at.min() < 0:
        missing = ticket_ids.iloc[int(np.argmin(at))]
        raise NotFoundError(f"example for ticket {missing!r}, which is not in the history; "
                            "list examples with example_times(history)")
    part = np.searchsorted(starts, at, side="right") - 1
    order = np.argsort(part, kind="stable")
    return np.split(order, np.cumsum(np.bincount(part, minlength=len(starts)))[:-1])


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


def _context(*parts: list[TicketSummary]) -> HistoryContext:
    return HistoryContext.from_summaries(s for part in parts for s in part)


def _kept(context: HistoryContext) -> HistoryContext:
    """The same object, stored on this worker under this task's key (`DaskFrames.contexts`)."""
    return context


def _rows(
    part: TicketHistory,
    key: str,
    examples: pd.DataFrame,
    positions: np.ndarray,
    analyses: Mapping[str, MessageAnalysis],
    policies: str,
    context: HistoryContext,
) -> tuple[np.ndarray, pd.DataFrame]:
    rows = build_feature_rows(
        _converted(part, key), examples, analyses, _compiled(policies), context, progress=False
    )
    return positions, pd.DataFrame.from_records(rows, columns=DEFAULT_SPEC.names)


def _scores(
    part: TicketHistory,
    key: str,
    examples: pd.DataFrame,
    positions: np.ndarray,
    analyses: Mapping[str, MessageAnalysis],
    policies: str,
    context: HistoryContext,
    model: EscalationModel,
) -> tuple[np.ndarray, pd.DataFrame]:
    """The partition's examples scored here: `score_rows` of its rows (all examples share one instant)."""
    _, raw = _rows(part, key, examples, positions, analyses, policies, context)
    return positions, score_examples(model, part, examples, raw)


def _block(
    part: TicketHistory,
    key: str,
    examples: pd.DataFrame,
    positions: np.ndarray,
    analyses: Mapping[str, MessageAnalysis],
    policies: str,
    context: HistoryContext,
) -> Block:
    """The partition's rows encoded here, as `build_feature_frame` encodes (its own categories)."""
    _, raw = _rows(part, key, examples, positions, analyses, policies, context)
    spec = DEFAULT_SPEC.with_categories_from(raw)
    encoded = spec.encode(raw)
    numbers = np.ascontiguousarray(encoded[_NUMERIC].to_numpy(dtype="float64").T)
    codes, categories = {}, {}
    for name in spec.categorical:
        column = encoded[name].array
        codes[name] = np.asarray(column.codes)
        categories[name] = tuple(str(c) for c in column.categories)
    return Block(np.asarray(positions, dtype="int64"), numbers, codes, categories)


def _wait(futures: Sequence[Future], progress: bool, what: str) -> None:
    """Until every task is done; a bar counts finished tasks as they come (any order)."""
    from distributed import as_completed

    with tqdm(total=len(futures), disable=not progress, unit="part", desc=f"{what} (dask)") as bar:
        for _ in as_completed(futures):
            bar.update(1)


def _gather(
    client: Client, futures: Sequence[Future], progress: bool, what: str
) -> list[Any]:
    """Results in submission order, once every task is done."""
    _wait(futures, progress, what)
    return list(client.gather(list(futures)))
