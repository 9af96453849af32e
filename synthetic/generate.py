"""The seeded generator: parameters in, (ticket row, events) pairs out, one ticket at a time.

Same parameters and phrase banks → the same history, event for event: all randomness comes from one
`Dice(seed)`, tickets are simulated in creation order, and nothing iterates over sets. The banks are
a parameter so that tests can inject a small one (production passes `phrases.BANKS`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError
from synthetic import company as co
from synthetic.arrivals import arrival_times, incidents
from synthetic.business_time import BusinessCalendar
from synthetic.compose import Composer
from synthetic.dice import Dice
from synthetic.phrasebank import PhraseBank
from synthetic.state import Context
from synthetic.story import finish, new_ticket, simulate
from synthetic.templates import check_banks
from synthetic.world import World, build_customers, build_teams

END_HOUR_UTC = 16  # the history stops on the end date at 16:00 UTC (a Friday afternoon in the sample)


@dataclass(frozen=True, slots=True)
class GenerationConfig:
    tickets: int = 3000
    customers: int | None = None  # default: 2 customers per 5 tickets (1,200 for the sample)
    seed: int = 20261030
    start: dt.date = dt.date(2026, 5, 1)
    end: dt.date = dt.date(2026, 10, 30)

    @property
    def n_customers(self) -> int:
        return self.customers if self.customers is not None else max(1, round(self.tickets * 0.4))

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime(self.start.year, self.start.month, self.start.day, tzinfo=dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime(self.end.year, self.end.month, self.end.day, END_HOUR_UTC, tzinfo=dt.UTC)

    def check(self) -> None:
        if self.tickets < 1:
            raise ConfigError(f"tickets must be at least 1, got {self.tickets}")
        if self.n_customers < 1:
            raise ConfigError(f"customers must be at least 1, got {self.n_customers}")
        if (self.end - self.start).days < 7:
            raise ConfigError(
                f"the history must span at least a week; got start {self.start} and end {self.end}. "
                "Pass an --end at least 7 days after --start."
            )


def generate(
    config: GenerationConfig, banks: Mapping[str, PhraseBank], progress: bool = False
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Yield each ticket's row and its events (with `event_id` and `ticket_id`) in creation order."""
    config.check()
    missing = sorted(set(co.LANGUAGE_WEIGHTS) - set(banks))
    if missing:
        raise ConfigError(
            f"no phrase bank for language(s) {', '.join(missing)}; the generator writes "
            f"{', '.join(co.LANGUAGE_WEIGHTS)} and needs one bank each"
        )
    check_banks({k: banks[k] for k in co.LANGUAGE_WEIGHTS})
    dice = Dice(config.seed)
    first, last = config.start - dt.timedelta(days=7), config.end + dt.timedelta(days=120)
    calendars = {team: BusinessCalendar(tz, first, last) for team, tz in co.TEAM_TZ.items()}
    start_at, end_at = config.start_at, config.end_at
    customers, cum_activity = build_customers(dice, config.n_customers)
    ref = calendars["technical_support"]
    business_days = ref.between(start_at.timestamp(), end_at.timestamp()) / (9 * 3600.0)
    world = World(customers, cum_activity, build_teams(dice, config.tickets / max(1.0, business_days)))
    ctx = Context(dice, Composer(banks, dice), calendars, world.teams, end_at.timestamp())
    arrivals = arrival_times(dice, config.tickets, start_at, end_at, incidents(start_at, end_at))
    width = max(6, len(str(config.tickets)))
    next_event = 1
    for i, (created, incident) in enumerate(_progress(arrivals, progress)):
        ticket_id = f"tkt-{i + 1:0{width}d}"
        st = new_ticket(ctx, world, ticket_id, float(int(created)), incident)
        simulate(ctx, st)
        row, events = finish(ctx, st)
        for e in events:
            e["event_id"] = f"evt-{next_event:08d}"
            e["ticket_id"] = ticket_id
            next_event += 1
        yield row, events


def _progress(items: list[Any], on: bool) -> Any:
    if not on:
        return items
    from tqdm import tqdm  # stderr progress bar for long runs only

    return tqdm(items, desc="tickets", unit="ticket", unit_scale=True, mininterval=0.5)
