"""Training and batch scoring on Dask (a 2-worker LocalCluster on loopback) against the single process, on
one tiny synthetic history: the same feature rows row for row, the same analyses, the same batch scores,
and a boosted model whose test ROC-AUC stays within tolerance of the single-process one; and on the
committed sample, the issue's tolerance of 0.005."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.errors import ConfigError
from core.settings import get_settings
from features.history import TicketHistory, load_history
from features.ticket import build_feature_frame
from rules import DEFAULT_POLICY_FILE, PolicySet, load_policies
from training.cluster import ClusterSpec, parse_cluster
from training.examples import build_examples
from training.fit import BoostParams, LocalFitter, fit_booster, fit_rounds
from training.targets import parse_target
from training.text_analyses import message_analyses
from training.train import TrainConfig, TrainResult, train_model

pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

import cloudpickle
from distributed import Client

from training.dask_fit import DaskFitter, best_round
from training.dask_frame import DaskFrames
from training.dask_text import DaskAnalyser
from training.text_recipe import AnalyserRecipe

TICKETS = 700
AUC_TOLERANCE = 0.03  # a few hundred test examples: one ranked pair moves the AUC by ~0.001-0.01
AT = datetime(2026, 10, 20, 12, tzinfo=UTC)

# The probes below run on the workers (`client.run`). Under pytest's importlib import mode this module has no
# importable name there, so its functions travel by value, whichever way pytest was started. (`client.submit`
# pickles a task by reference regardless: what it runs must be importable on the workers.)
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def history_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from synthetic.generate import GenerationConfig, generate
    from synthetic.output import write_history
    from synthetic.phrases import BANKS

    folder = tmp_path_factory.mktemp("dask-history")
    write_history(generate(GenerationConfig(tickets=TICKETS, seed=11), BANKS), folder, "parquet")
    return folder


@pytest.fixture(scope="module")
def history(history_folder: Path) -> TicketHistory:
    return load_history(history_folder)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    from training.cluster import connect

    with connect(ClusterSpec(workers=2)) as found:
        yield found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("local:2", ClusterSpec(workers=2)),
        ("local:16", ClusterSpec(workers=16)),
        ("tcp://10.0.0.5:8786", ClusterSpec(address="tcp://10.0.0.5:8786")),
        ("scheduler:8786", ClusterSpec(address="scheduler:8786")),
    ],
)
def test_a_dask_value_names_a_local_cluster_or_a_scheduler(value: str, expected: ClusterSpec) -> None:
    assert parse_cluster(value) == expected


@pytest.mark.parametrize(("value", "says"), [("local:0", "at least 1"), ("local:x", "whole number"),
                                            ("", "neither"), ("tcp://a b", "neither")])
def test_a_bad_dask_value_says_what_to_give(value: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse_cluster(value)


def test_best_round_is_the_round_lightgbm_early_stopping_keeps(history: TicketHistory) -> None:
    """Boosting does not depend on the validation set, so boosting every round and choosing afterwards
    must land on the round early stopping stopped at."""
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.normal(size=(3000, 4)), columns=list("abcd"))
    y = (x["a"] + 0.8 * rng.normal(size=3000) > 1.0).to_numpy(dtype="int64")
    params = BoostParams(num_boost_round=400, early_stopping_rounds=20, num_threads=1, min_data_in_leaf=20)
    stopped = fit_booster(x[:2000], y[:2000], x[2000:], y[2000:], params, 1)
    everything = fit_rounds(x[:2000], y[:2000], params, 1, 400)
    assert 1 < stopped.best_iteration < 400
    assert best_round(everything, x[2000:], y[2000:], 20) == stopped.best_iteration


def test_feature_rows_built_on_workers_are_the_single_process_rows(
    history: TicketHistory, policies: PolicySet, client: Client
) -> None:
    examples = build_examples(history, parse_target(), every_event=True)
    single = build_feature_frame(history, examples[["ticket_id", "at"]], {}, policies, progress=False)
    raw = DaskFrames(client).build(history, examples[["ticket_id", "at"]], {}, policies)
    from features.ticket import DEFAULT_SPEC

    spread = DEFAULT_SPEC.with_categories_from(raw).encode(raw, index=examples.index)
    assert len(spread) == len(examples) > 1000
    pd.testing.assert_frame_equal(spread, single)


def test_a_frame_encoded_on_workers_is_the_single_process_frame(
    history: TicketHistory, policies: PolicySet, client: Client
) -> None:
    """Each worker encodes its partition with the categories its rows hold; the merged frame must still
    be the frame one process encodes from all rows: the same values, codes and category lists."""
    examples = build_examples(history, parse_target(), every_event=True)
    single = build_feature_frame(history, examples[["ticket_id", "at"]], {}, policies, progress=False)
    spread = DaskFrames(client).frame(history, examples[["ticket_id", "at"]], {}, policies)
    assert len(spread) == len(examples) > 1000
    pd.testing.assert_frame_equal(spread, single.reset_index(drop=True))
    for name in ("product", "team", "sla_policy"):  # open categoricals: several values, from all rows
        assert list(spread[name].cat.categories) == list(single[name].cat.categories)
        assert len(spread[name].cat.categories) > 1


def test_a_frame_on_workers_keeps_the_examples_order_and_partitions_without_examples(
    history: TicketHistory, policies: PolicySet, client: Client
) -> None:
    """Examples in no ticket order, from a few tickets only (most partitions have none): still the
    single-process frame of those examples, in their order."""
    examples = build_examples(history, parse_target(), every_event=True)
    few = examples["ticket_id"].isin(history.tickets.index[[3, 5, 400, 650]])
    chosen = examples.loc[few, ["ticket_id", "at"]].sample(frac=1.0, random_state=7)
    single = build_feature_frame(history, chosen, {}, policies, progress=False)
    spread = DaskFrames(client).frame(history, chosen, {}, policies)
    assert len(spread) == len(chosen) > 10
    pd.testing.assert_frame_equal(spread, single.reset_index(drop=True))


def test_an_example_of_a_ticket_not_in_the_history_is_named(
    history: TicketHistory, policies: PolicySet, client: Client
) -> None:
    from core.errors import NotFoundError

    examples = pd.DataFrame({"ticket_id": ["no-such-ticket"], "at": [pd.Timestamp(AT)]})
    with pytest.raises(NotFoundError, match="no-such-ticket"):
        DaskFrames(client).frame(history, examples, {}, policies)


def test_message_analyses_on_workers_are_those_of_one_process_and_each_worker_loads_once(
    history: TicketHistory, client: Client, tmp_path: Path
) -> None:
    settings = get_settings()
    recipe = AnalyserRecipe(settings, sentiment=False)  # the phrase lexicon: no encoder to load in a test

    class Here:  # the same recipe run in this process, as a RemoteAnalyser
        def __init__(self) -> None:
            self.analyser, self.version = recipe.load()

        def run(self, batches):  # type: ignore[no-untyped-def]
            for batch in batches:
                yield self.analyser([t for _, (t, _) in batch], [lg for _, (_, lg) in batch])

    here = Here()
    local, local_stats = message_analyses(history, settings, tmp_path / "a.sqlite", remote=here)  # type: ignore[arg-type]
    remote = DaskAnalyser(client, recipe)
    spread, spread_stats = message_analyses(history, settings, tmp_path / "b.sqlite", batch_size=64,
                                            remote=remote)
    assert spread_stats.computed == local_stats.computed > 100
    assert spread == local
    assert remote.version == here.version
    assert remote.recipe.settings.sentiment.num_threads == 1  # one encoder thread a worker thread
    loaded = client.run(_loaded_analysers)
    assert sorted(loaded.values()) == [1, 1]  # two workers, one analyser each, however many batches


def _loaded_analysers() -> int:
    from training.text_recipe import _LOADED

    return len(_LOADED)


@pytest.fixture(scope="module")
def trained(
    history: TicketHistory, policies: PolicySet, client: Client
) -> tuple[TrainResult, TrainResult]:
    config = TrainConfig(parse_target(), params=BoostParams(num_boost_round=200, num_threads=1), workers=1)
    single = train_model(history, config, policies, fitter=LocalFitter())
    spread = train_model(history, config, policies, builder=DaskFrames(client), fitter=DaskFitter(client))
    return single, spread


def test_a_model_boosted_on_dask_scores_as_well_as_one_boosted_here(
    trained: tuple[TrainResult, TrainResult],
) -> None:
    single, spread = trained
    pd.testing.assert_frame_equal(single.test_frame, spread.test_frame)  # the same rows, in the same order
    assert abs(_roc_auc(single) - _roc_auc(spread)) <= AUC_TOLERANCE
    close = np.corrcoef(single.test["raw"], spread.test["raw"])[0, 1]
    assert close > 0.9  # the two boosters rank the test examples alike, not merely as well


def test_a_model_boosted_on_dask_is_the_same_file_shape(
    trained: tuple[TrainResult, TrainResult], tmp_path: Path
) -> None:
    from features.model import load_model

    single, spread = trained
    a, b = single.model.to_dict(), spread.model.to_dict()
    assert a.keys() == b.keys()
    assert a["metadata"].keys() == b["metadata"].keys()
    assert a["feature_spec"] == b["feature_spec"]
    assert spread.model.metadata.best_iteration == spread.model.booster.current_iteration()
    assert single.report.to_dict().keys() == spread.report.to_dict().keys()
    again = load_model(spread.model.save(tmp_path / "model.json"))  # read back as serving reads it
    np.testing.assert_allclose(again.predict_proba(spread.test_frame), spread.test["score"], atol=1e-12)


def test_batch_scores_on_dask_are_the_single_process_scores(
    history: TicketHistory, trained: tuple[TrainResult, TrainResult], client: Client, tmp_path: Path
) -> None:
    """On Dask each partition is scored on its worker; the scores are those of one process, in the
    order the tickets were asked in."""
    from training.batch_scores import LocalRows, batch_scores, feature_rows, open_at, score_rows, summaries_of

    model = trained[0].model
    policies = load_policies(DEFAULT_POLICY_FILE)
    summaries = summaries_of(history)
    tickets = open_at(summaries, AT)
    raw = feature_rows(history, tickets, AT, {}, policies, summaries)
    single = score_rows(model, history, tickets, AT, raw)
    assert len(single) > 3 and single["reasons"].str.startswith("[").all()
    for builder in (LocalRows(), DaskFrames(client)):
        kept = summaries_of(history, builder)
        assert open_at(kept, AT) == tickets
        scored = batch_scores(model, history, tickets, AT, {}, policies, builder=builder)
        pd.testing.assert_frame_equal(scored, single)
        shuffled = list(reversed(tickets))
        pd.testing.assert_frame_equal(
            batch_scores(model, history, shuffled, AT, {}, policies, builder=builder),
            single.iloc[::-1].reset_index(drop=True),
        )
        none = batch_scores(model, history, [], AT, {}, policies, builder=builder)
        assert len(none) == 0 and list(none.columns) == list(single.columns)


def test_a_worker_converts_a_partition_once_for_its_summaries_and_every_instant(
    history: TicketHistory, client: Client
) -> None:
    from training.batch_scores import feature_rows, open_at, summaries_of

    client.run(_count_conversions)
    try:
        builder = DaskFrames(client)
        summaries = summaries_of(history, builder)
        policies = load_policies(DEFAULT_POLICY_FILE)
        for at in (AT, datetime(2026, 10, 27, 12, tzinfo=UTC), datetime(2026, 11, 3, 12, tzinfo=UTC)):
            tickets = open_at(summaries, at)
            assert len(feature_rows(history, tickets, at, {}, policies, summaries, builder=builder)) > 3
        counted = client.run(_conversions)
    finally:
        client.run(_stop_counting)
    assert sum(counted.values()) == len(builder.partitions(history)) == 8  # 2 workers x 4 partitions
    held = client.who_has([part for _, part in builder.partitions(history)])
    assert counted == {w: sum(w in found for found in held.values()) for w in counted}


def test_a_worker_fetches_the_context_once_however_many_instants_it_scores(
    history: TicketHistory, client: Client
) -> None:
    """The cross-ticket context is sent to each worker once a history. Before, a worker fetched it for its
    tasks only; Dask's memory manager then kept one replica (no waiting task needed more), and every
    instant sent it again to the worker without it (at 1M events 23 MB, ~5 s each time)."""
    from features.ticket.history_context import to_us
    from training.batch_scores import feature_rows, summaries_of

    builder = DaskFrames(client)
    summaries = summaries_of(history, builder)
    policies = load_policies(DEFAULT_POLICY_FILE)
    context = builder.context(history)
    key = context.key

    def fetched(dask_worker) -> int:  # type: ignore[no-untyped-def]
        return sum(key in entry["keys"] for entry in dask_worker.transfer_incoming_log)

    for at in (AT, datetime(2026, 10, 27, 12, tzinfo=UTC), datetime(2026, 11, 3, 12, tzinfo=UTC)):
        tickets = sorted(s.ticket_id for s in summaries if s.created <= to_us(at))  # on both workers
        rows = feature_rows(history, tickets, at, {}, policies, summaries, builder=builder)
        assert len(rows) == len(tickets)
        client.amm.run_once()  # as the memory manager does every few seconds
        _until(lambda: len(client.who_has([context])[key]) == 1, "the extra replica to be dropped")
    assert sum(client.run(fetched).values()) == 1
    assert len(builder.contexts(history)) == 2  # a copy of its own on each worker


def _until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited 60 s for {what}")
        time.sleep(0.05)


def test_a_busy_worker_s_partitions_wait_for_it_instead_of_being_converted_again_elsewhere(
    history: TicketHistory, client: Client
) -> None:
    """Dask sizes a partition by its Python object, so a free placement sends a busy worker's partition
    tasks to the idle worker, which converts those partitions again. Here the worker that does not hold
    the context has its one thread held by a task; every partition task must still be given to the
    partition's own worker, and no worker converts a partition it does not hold."""
    from concurrent.futures import ThreadPoolExecutor

    from distributed import Event

    from training.batch_scores import feature_rows, open_at, summaries_of

    client.run(_count_conversions)
    builder = DaskFrames(client)
    summaries = summaries_of(history, builder)
    context = builder.context(history)
    client.gather([context])
    parts = [part for _, part in builder.partitions(history)]
    held = {key: found[0] for key, found in client.who_has(parts).items()}
    tickets = open_at(summaries, AT)
    with_examples = sum(bool(set(ids) & set(tickets)) for ids, _ in builder.partitions(history))
    busy = next(w for w in set(held.values()) if w not in client.who_has([context])[context.key])
    client.gather(list(builder.contexts(history).values()))  # each worker's copy, made before one is busy
    release = Event(f"release-{busy}", client=client)
    blocker = client.submit(release.wait, 120, workers=[busy], pure=False)  # the Event travels by its name
    try:
        with ThreadPoolExecutor(1) as pool:
            scoring = pool.submit(feature_rows, history, tickets, AT, {}, load_policies(DEFAULT_POLICY_FILE),
                                  summaries, builder=builder)
            placed = _partition_tasks_placed(client, with_examples)
            release.set()
            assert len(scoring.result(timeout=120)) == len(tickets)
        blocker.result(timeout=60)
        counted = client.run(_conversions)
    finally:
        release.set()
        client.run(_stop_counting)
    assert placed and all(worker == held[part] for part, worker in placed.items()), placed
    assert counted == {w: sum(found == w for found in held.values()) for w in counted}


def _partition_tasks_placed(client: Client, parts: int) -> dict[str, str]:
    """Waits (at most 60 s) until the scheduler has given each partition's `_rows` task a worker or
    finished it; then {partition key: the worker its task was given to} for the tasks still waiting."""

    def placed(dask_scheduler) -> tuple[int, dict[str, str]]:  # type: ignore[no-untyped-def]
        rows = [t for t in dask_scheduler.tasks.values() if t.key.startswith("_rows-")]
        given = {}
        for t in rows:
            if t.processing_on is not None:
                part = next(d.key for d in t.dependencies if d.prefix.name == "TicketHistory")
                given[part] = t.processing_on.address
        settled = sum(t.state in ("processing", "memory") for t in rows)
        return settled, given

    last: dict[str, str] = {}

    def all_placed() -> bool:
        settled, given = client.run_on_scheduler(placed)
        last.clear()
        last.update(given)
        return bool(settled == parts)

    _until(all_placed, "the partition tasks to be given a worker")
    return last


def _count_conversions() -> None:
    """On a worker: forget the converted partitions and count the conversions from now on."""
    import training.dask_frame as module

    module._PAIRS.clear()
    real = getattr(module, "_real_history_pairs", module.history_pairs)
    calls: list[int] = []

    def counting(part: TicketHistory):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(part)

    module._real_history_pairs, module.history_pairs, module._counted = real, counting, calls


def _stop_counting() -> None:
    import training.dask_frame as module

    module.history_pairs = module._real_history_pairs


def _conversions() -> int:
    import training.dask_frame as module

    return len(module._counted)


def test_open_at_counts_a_ticket_from_creation_until_it_is_solved(history: TicketHistory) -> None:
    from training.batch_scores import open_at, summaries_of

    summaries = summaries_of(history)
    first = min(summaries, key=lambda s: s.created)
    created = datetime.fromtimestamp(first.created / 1e6, tz=UTC)
    assert first.ticket_id in open_at(summaries, created)
    assert first.ticket_id not in open_at(summaries, datetime(2026, 4, 1, tzinfo=UTC))
    last_span_end = first.open_spans[-1][1]
    if last_span_end < 2**62:  # solved: not open from then on
        after = datetime.fromtimestamp(last_span_end / 1e6, tz=UTC)
        assert first.ticket_id not in open_at(summaries, after)


def test_score_batch_writes_the_same_file_on_one_process_and_on_dask(
    history_folder: Path, trained: tuple[TrainResult, TrainResult], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from training.score_cli import score_batch

    model = trained[0].model.save(tmp_path / "model.json")
    written = []
    for extra in ([], ["--dask", "local:2"]):
        out = tmp_path / f"scores{len(extra)}.parquet"
        args = [str(history_folder), "--at", "2026-10-20T14:00:00+02:00", "--out", str(out),
                "--model", str(model), "--no-text", "--no-progress", *extra]
        result = CliRunner().invoke(score_batch, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "open tickets scored" in result.output
        written.append(pd.read_parquet(out))
    pd.testing.assert_frame_equal(written[0], written[1])
    assert (written[0]["at"] == pd.Timestamp("2026-10-20T12:00:00Z")).all()
    assert list(written[0].columns) == ["ticket_id", "at", "risk", "alert", "reasons"]


@pytest.mark.parametrize(("value", "says"), [
    ("2026-10-20T12:00:00", "no UTC offset"), ("soon", "ISO 8601"),
    ("2200-01-01T00:00:00Z", "out of range; instants must lie between 1970"),  # as the API refuses it
    ("1900-01-01T00:00:00+01:00", "out of range; instants must lie between 1970"),
])
def test_score_batch_wants_an_instant_with_its_offset(value: str, says: str) -> None:
    from training.score_cli import parse_instant

    with pytest.raises(ConfigError, match=says):
        parse_instant(value)


def test_a_worker_s_encoder_takes_one_thread_a_task_unless_the_settings_say_otherwise() -> None:
    settings = get_settings()

    def with_threads(n: int | None) -> AnalyserRecipe:
        sentiment = settings.sentiment.model_copy(update={"num_threads": n})
        return AnalyserRecipe(settings.model_copy(update={"sentiment": sentiment}))

    assert with_threads(None).on_workers().settings.sentiment.num_threads == 1
    assert with_threads(None).on_workers().settings.text == settings.text  # nothing else changes
    assert with_threads(3).on_workers().settings.sentiment.num_threads == 3


def test_on_the_sample_a_dask_run_is_within_0_005_roc_auc_of_one_process(
    sample_history: TicketHistory, sample_result: TrainResult, fast_config: TrainConfig,
    policies: PolicySet, client: Client,
) -> None:
    """The issue's tolerance, on the committed sample (35,024 examples; no text here, the analyses being the
    same on both by the test above): the frame built on the workers, not read from the feature cache, is
    the single-process frame row for row, and the test ROC-AUC is within 0.005 (0.0008 measured with text
    through `escalation train --dask local:2`, docs/scale-out.md)."""
    config = replace(fast_config, feature_cache=None)  # the rows built on the workers
    spread = train_model(
        sample_history, config, policies, builder=DaskFrames(client), fitter=DaskFitter(client)
    )
    pd.testing.assert_frame_equal(sample_result.test_frame, spread.test_frame)
    assert abs(_roc_auc(sample_result) - _roc_auc(spread)) <= 0.005


def test_a_scheduler_address_that_does_not_answer_is_named() -> None:
    """`--dask garbage` (no port) was distributed's ValueError traceback, and an address where no scheduler
    listens its OSError after the connect timeout; each is a ConfigError naming the address and what to do."""
    import socket

    import dask

    from training.cluster import connect

    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        for address in ("garbage", closed):
            says = rf"--dask {address!r}: no Dask scheduler answers there \(.*\); start one .* --dask local:N"
            with pytest.raises(ConfigError, match=says), connect(parse_cluster(address)):
                pass


def _roc_auc(result: TrainResult) -> float:
    found = result.report.test.figures.roc_auc
    assert found is not None
    return found
