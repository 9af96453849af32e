"""The people of the story: customers with latent patience and temper, agents with latent speed and a
queue of open tickets (an overloaded agent answers slowly — one real root cause of escalations)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from core.enums import Channel
from synthetic import company as co
from synthetic.dice import Dice, cumulative

TICKETS_PER_AGENT_DAY = 4.5  # new tickets one agent takes per business day at normal load


@dataclass(slots=True)
class Customer:
    customer_id: str
    language: str
    tier: str
    value: float  # annual EUR
    region: str
    name: str  # first name, for {name}
    full_name: str
    company: str  # "" for private customers
    patience_h: float  # business hours they wait before chasing
    temper: float  # added to the starting anger
    channel: Channel  # preferred channel
    # What earlier tickets left behind (read by later tickets only once it happened).
    last_ticket: str = ""  # id of the customer's previous ticket
    history: list[tuple[float, str, float, bool]] = field(
        default_factory=list
    )  # created, category, done_at, bad


@dataclass(slots=True)
class Agent:
    agent_id: str
    team: str
    name: str
    speed: float  # multiplies reply delays; < 1 is fast
    skill: float  # added to the chance that a proposed fix works
    capacity: int  # open tickets before replies slow down
    busy_until: list[float] = field(default_factory=list)  # heap of done_at of the agent's open tickets

    def load(self, now: float) -> int:
        heap = self.busy_until
        while heap and heap[0] <= now:
            heapq.heappop(heap)
        return len(heap)

    def take(self, done_at: float) -> None:
        heapq.heappush(self.busy_until, done_at)


@dataclass(slots=True)
class Team:
    name: str
    agents: list[Agent]
    cum_share: list[float]  # uneven routing: some agents get more tickets than others
    manager_id: str
    manager_name: str

    def pick(self, dice: Dice) -> Agent:
        return dice.weighted(self.agents, self.cum_share)


@dataclass(slots=True)
class World:
    customers: list[Customer]
    cum_activity: list[float]  # heavy-tailed: a few customers write often
    teams: dict[str, Team]


def build_customers(dice: Dice, n: int) -> tuple[list[Customer], list[float]]:
    langs, lang_cum = list(co.LANGUAGE_WEIGHTS), cumulative(list(co.LANGUAGE_WEIGHTS.values()))
    channels, chan_cum = list(co.CHANNEL_WEIGHTS), cumulative(list(co.CHANNEL_WEIGHTS.values()))
    tier_cum = cumulative(co.TIER_WEIGHTS)
    width = max(5, len(str(n)))
    customers, activity = [], []
    for i in range(n):
        lang = dice.weighted(langs, lang_cum)
        tier = dice.weighted(co.TIERS, tier_cum)
        median, spread = co.TIER_VALUE[tier]
        regions = co.REGIONS[lang]
        region = dice.weighted([r for r, _ in regions], cumulative([w for _, w in regions]))
        first, last = dice.pick(co.FIRST_NAMES[lang]), dice.pick(co.SURNAMES[lang])
        company = (
            "" if tier == "basic" else f"{dice.pick(co.COMPANY_STEMS)} {dice.pick(co.COMPANY_SUFFIX[lang])}"
        )
        customers.append(
            Customer(
                customer_id=f"cust-{i + 1:0{width}d}",
                language=lang,
                tier=tier,
                value=round(dice.lognormal(median, spread), -1),
                region=region,
                name=first,
                full_name=f"{first} {last}",
                company=company,
                patience_h=dice.lognormal(7.0, 0.6) * (0.7 if tier == "enterprise" else 1.0),
                temper=max(0.0, dice.normal(0.25, 0.45)),
                channel=dice.weighted(channels, chan_cum),
            )
        )
        # Businesses open more tickets; activity is heavy-tailed so some customers come back often.
        activity.append(dice.lognormal(1.0, 0.8) * (1.0, 1.6, 2.5)[co.TIERS.index(tier)])
    return customers, cumulative(activity)


def build_teams(dice: Dice, tickets_per_day: float) -> dict[str, Team]:
    """Staff each team for its expected share of the ticket volume, a little short on purpose."""
    share = {t: 0.0 for t in co.TEAMS}
    for cat, w in co.CATEGORY_WEIGHTS.items():
        share[co.HOME_TEAM[cat]] += w
    share["engineering_l2"] += 0.06  # functional escalations land here
    share["data_services"] += 0.04
    teams: dict[str, Team] = {}
    number = 0
    for team in co.TEAMS:
        n_agents = max(
            3, round(tickets_per_day * share[team] / TICKETS_PER_AGENT_DAY * dice.between(0.8, 1.05))
        )
        agents = []
        for _ in range(n_agents):
            number += 1
            agents.append(
                Agent(
                    agent_id=f"agent-{number:03d}",
                    team=team,
                    name=dice.pick(co.AGENT_NAMES),
                    speed=dice.lognormal(1.0, 0.35) * (1.4 if team in co.EXPERT_TEAMS else 1.0),
                    skill=dice.normal(0.0, 0.06) + (0.12 if team in co.EXPERT_TEAMS else 0.0),
                    capacity=max(8, round(dice.normal(26, 5))),
                )
            )
        teams[team] = Team(
            team,
            agents,
            cumulative([dice.lognormal(1.0, 0.35) for _ in agents]),
            manager_id=f"mgr-{co.TEAMS.index(team) + 1:02d}",
            manager_name=dice.pick(co.AGENT_NAMES),
        )
    return teams
