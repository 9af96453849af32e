"""The user documentation names only settings and command options that exist: an `ESCALATION_*` variable the
docs give and the settings do not know stops every command (a misspelt one would have been ignored), and an
option the docs show and the command lacks is a usage error. README.md and docs/**/*.md are read as a new
integrator follows them: full variable names, the `…__X` / `__X` short forms that continue the name before
them, the rows of a settings table whose heading names its section, and `escalation COMMAND … --option`;
and the dashboard's table of paths names every page and form it serves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import click
import pytest

from core.cli import COMMANDS, cli
from core.settings.problems import _names
from core.settings.root import ALIASES, Settings

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
EXAMPLES_OF_A_MISSPELLING = {"ESCALATION_DATABSE_URL"}  # the README shows how one is refused

FULL = re.compile(r"\bESCALATION_[A-Z0-9_]*[A-Z0-9]")
SHORT = re.compile(r"`(?:…)?__([A-Z][A-Z0-9_]*[A-Z0-9])`")  # `…__KEEPALIVES_COUNT`, `__PRODUCT`
SECTION = re.compile(r"`(ESCALATION_[A-Z0-9_]+?)__(?:\{([A-Z|]+)\}__)?[…*]`")  # a table's section
# `escalation COMMAND [SUBCOMMAND] …` up to the end of the code, the cell, a comment or the next command
COMMAND = re.compile(
    r"(?<![\w/.-])escalation ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?((?:(?!escalation )[^`\n|#])*)"
)


@cache
def known_names() -> tuple[set[str], tuple[str, ...]]:
    known, open_ended = _names(Settings, "ESCALATION_")
    return known | ALIASES, open_ended


def is_setting(name: str) -> bool:
    known, open_ended = known_names()
    return name in known or name.startswith(open_ended)


def is_section(prefix: str) -> bool:
    known, _ = known_names()
    return any(name.startswith(prefix + "__") for name in known)


def named_variables(text: str) -> Iterator[tuple[int, str]]:
    """(line, variable) for every variable a page names in full or as a short form of the one before it."""
    last: str | None = None  # the latest name in full: `…__X` and `__X` continue its section
    section: list[str] = []  # the prefixes a settings table's heading (or the heading above it) names
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        row = line.startswith("|")
        if in_table and not row:
            section, in_table = [], False
        headed = SECTION.search(line)
        if headed:
            prefix, alternatives = headed.groups()
            section = [f"{prefix}__{a}" for a in alternatives.split("|")] if alternatives else [prefix]
        elif row and section:
            in_table = True
            if not set(line) <= set("|-: "):
                yield from table_row(number, line.split("|")[1], section)
        for match in FULL.finditer(line):
            name = match.group(0)
            if line[match.end():match.end() + 3].startswith(("__…", "__*", "__{")):
                yield number, name + "__"  # a section named as a prefix
            else:
                last = name
                yield number, name
        if not (row and section) and last is not None and "__" in last:
            for match in SHORT.finditer(line):
                yield number, f"{last.rsplit('__', 1)[0]}__{match.group(1)}"


def table_row(number: int, first: str, section: list[str]) -> Iterator[tuple[int, str]]:
    """The settings a row of a section's table names in its first cell: `max_events`, `EMAIL__HOST`, `__PORT`
    (the one before it continued), in each section the heading names."""
    parents: list[str] = []
    for token in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", re.sub(r"\([^)]*\)", "", first)):  # not (notes)
        upper = token.upper()
        if upper.startswith("ESCALATION_"):
            continue
        if upper.startswith("__") and parents:
            names = [f"{parent}{upper}" for parent in parents]
        else:
            names = [f"{prefix}__{upper}" for prefix in section]
            parents = [name.rsplit("__", 1)[0] for name in names]
        for name in names:
            yield number, name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_variable_the_docs_name_is_a_setting(page: Path) -> None:
    unknown = []
    for number, name in named_variables(page.read_text(encoding="utf-8")):
        if name in EXAMPLES_OF_A_MISSPELLING:
            continue
        ok = is_section(name.removesuffix("__")) if name.endswith("__") else is_setting(name)
        if not ok:
            unknown.append(f"line {number}: {name}")
    assert not unknown, f"{page.name} names variables that are no setting: {unknown}"


def command_options(words: list[str]) -> tuple[list[str], set[str] | None]:
    """The command the words name (as far as they name one) and its options (None: not a command)."""
    ctx = click.Context(cli)
    command: click.Command = cli
    used: list[str] = []
    for word in words:
        if not isinstance(command, click.Group):
            break
        sub = command.get_command(ctx, word)
        if sub is None:
            break
        command, used = sub, [*used, word]
    if not used or isinstance(command, click.Group):
        return used, None
    options = {"--help", "-h"}
    for param in command.params:
        options |= {*param.opts, *param.secondary_opts}
    return used, options


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_option_the_docs_show_a_command_is_one_it_takes(page: Path) -> None:
    wrong = []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        for match in COMMAND.finditer(line):
            first, second, rest = match.groups()
            if first not in COMMANDS:
                continue
            used, options = command_options([first, *([second] if second else [])])
            if options is None:
                wrong.append(f"line {number}: escalation {' '.join(used)} {second}: no such command")
                continue
            if len(used) == 1 and second:
                rest = f" {second}{rest}"
            for option in re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", rest):
                if option not in options:
                    wrong.append(f"line {number}: escalation {' '.join(used)} {option}")
    assert not wrong, f"{page.name} shows options the commands do not take: {wrong}"


def test_every_page_and_form_of_the_dashboard_is_in_its_table_of_paths() -> None:
    """docs/dashboard.md's table of paths left out the CSV export and the snooze forms."""
    from fastapi.routing import APIRoute

    from serving.dashboard.routes import router

    table = [line.split("|")[1] for line in (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
             .split("## Sessions", 1)[0].splitlines() if line.startswith("| `")]
    missing = []
    for route in router.routes:
        if not isinstance(route, APIRoute) or route.path.startswith("/dashboard/static"):
            continue
        path = route.path.replace("{ticket_id}", "{id}")
        for method in route.methods:
            named = f"`{path}`" if method == "GET" else f"`{method} {path}`"
            if not any(named in cell for cell in table):
                missing.append(named)
    assert not missing, f"add to docs/dashboard.md's table of paths: {missing}"
