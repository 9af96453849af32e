"""Champion against challenger on the same test period: the challenger's, rebuilt from the history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError
from core.settings import get_settings
from features.history import load_history
from rules import load_policies
from training import tracking
from training.bootstrap import Difference, paired_pr_auc, verdict
from training.examples import build_examples
from training.feature_frame import build_frame
from training.figures import ScoreFigures, score_figures
from training.targets import parse_target
from training.text_analyses import message_analyses, refuse_no_text
from training.ticket_features import check_ticket_columns


@dataclass(frozen=True, slots=True)
class Compared:
    """One of the two models: its registered version and its figures on the test period."""

    version: str
    figures: ScoreFigures


@dataclass(frozen=True, slots=True)
class Comparison:
    test_from: str  # "YYYY-MM-DD HH:MM:SS UTC"
    rows: int
    positives: int
    champion: Compared
    challenger: Compared
    difference: Difference  # challenger − champion in PR-AUC, with its paired bootstrap interval
    verdict: str


def compare(
    data: Path,
    mapping: Path | None,
    champion: str,
    challenger: str,
    *,
    policies_file: Path | None = None,
    text: bool = True,
    text_cache: Path | None = None,
    progress: bool = False,
    resamples: int = 1000,
    seed: int = 0,
) -> Comparison:
    """Both models scored on features built now, by the one feature code path, from `data`; the PR-AUC
    difference (challenger − champion) with a paired bootstrap interval over the test tickets."""
    with tracking.tracking(get_settings().mlflow_tracking_uri) as client:
        models = {
            role: tracking.load_model(client, ref)
            for role, ref in (("champion", champion), ("challenger", challenger))
        }
    meta = {role: model.metadata for role, (model, _) in models.items()}
    if meta["champion"].target != meta["challenger"].target:
        raise ConfigError(
            f"the models predict different targets ({meta['champion'].target} vs "
            f"{meta['challenger'].target}); compare models trained for the same target"
        )
    if not text:
        refuse_no_text([f"{role} v{models[role][1]}" for role in meta if meta[role].text_analyses])
    chosen = meta["challenger"]
    target = parse_target(chosen.target_spec, f"{int(chosen.horizon_hours)}h")
    history = load_history(data, mapping, progress=progress)
    # models trained before creation examples existed had them only for tickets without events
    examples = build_examples(history, target, every_event=chosen.every_event, at_creation=chosen.at_creation)
    test_from = chosen.test_start
    test = examples[examples["created_at"] >= test_from].reset_index(drop=True)
    if not test["label"].any():
        raise ConfigError(
            f"no positive examples in the test period from {test_from:%Y-%m-%d %H:%M:%S} UTC in {data}; "
            "compare on the history the challenger was trained on, or a newer one"
        )
    settings = get_settings()
    policies = load_policies(policies_file or settings.paths.policy_file)
    analyses = message_analyses(history, settings, text_cache, progress=progress)[0] if text else {}
    # a model trained --no-text never split on the text columns: scoring it with them changes nothing
    # the ticket columns either model was trained on: each reads its own from the one frame
    extras = list(dict.fromkeys([*meta["champion"].ticket_features, *chosen.ticket_features]))
    for role, (_, version) in models.items():
        check_ticket_columns(f"{role} v{version}", meta[role], history.tickets, data)
    frame, _ = build_frame(history, test, analyses, policies, progress=progress, extra_columns=extras)
    budget = chosen.budget
    scores, compared = {}, {}
    for role, (model, version) in models.items():
        scores[role] = model.predict_proba(frame)
        compared[role] = Compared(version, score_figures(test.assign(score=scores[role]), "score", budget))
    labels = test["label"].to_numpy()
    diff = paired_pr_auc(labels, scores["champion"], scores["challenger"], test["ticket_id"],
                         resamples=resamples, seed=seed)
    return Comparison(
        test_from=f"{test_from:%Y-%m-%d %H:%M:%S} UTC",
        rows=len(test),
        positives=int(test["label"].sum()),
        champion=compared["champion"],
        challenger=compared["challenger"],
        difference=diff,
        verdict=verdict(diff, f"champion v{compared['champion'].version}",
                        f"challenger v{compared['challenger'].version}"),
    )


def comparison_table(result: Comparison) -> str:
    champion, challenger = result.champion.figures, result.challenger.figures
    head = (f"champion v{result.champion.version}", f"challenger v{result.challenger.version}")
    lines = [
        f"test period from {result.test_from}: {result.rows:,} examples, {result.positives:,} positive",
        f"{'':<22}{head[0]:>16}{head[1]:>18}",
    ]
    for label, a, b in (
        ("ROC-AUC", champion.roc_auc, challenger.roc_auc),
        ("PR-AUC", champion.pr_auc, challenger.pr_auc),
        ("Brier", champion.brier, challenger.brier),
        ("precision @ budget", champion.precision_at_budget, challenger.precision_at_budget),
        ("recall @ budget", champion.recall_at_budget, challenger.recall_at_budget),
    ):
        lines.append(f"{label:<22}{_f(a):>16}{_f(b):>18}")
    lines.append(
        f"{'first-event ROC-AUC':<22}{_f(champion.first_event.roc_auc):>16}"
        f"{_f(challenger.first_event.roc_auc):>18}"
    )
    lines.append(result.verdict)
    return "\n".join(lines)


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
