"""The user documentation names only settings and command options that exist: an `ESCALATION_*` variable the
docs give and the settings do not know stops every command (a misspelt one would have been ignored), and an
option the docs show and the command lacks is a usage error. README.md and docs/**/*.md are read as a new
integrator follows them: full variable names, the `…__X` / `__X` short forms that continue the name before
them, the rows of a settings table whose heading names its section, and `escalation COMMAND … --option`;
a settings table's default is the setting's; and the dashboard's table of paths names every page and form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, get_args, get_origin

import click
import pytest
from pydantic import BaseModel, SecretStr

from core.cli import COMMANDS, cli
from core.settings.root import ALIASES, Settings
from core.settings.variables import setting_names

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
MISSING = object()
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
    known, open_ended = setting_names(Settings, "ESCALATION_")
    return known | ALIASES, open_ended


def is_setting(name: str) -> bool:
    known, open_ended = known_names()
    return name in known or name.startswith(open_ended)


def is_section(prefix: str) -> bool:
    known, _ = known_names()
    return any(name.startswith(prefix + "__") for name in known)


def named_variables(text: str, first_cells: bool = False) -> Iterator[tuple[int, str]]:
    """(line, variable) for every variable a page names in full or as a short form of the one before it;
    `first_cells`: only those the first cell of a table's row names (the settings a row is about)."""
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
        if first_cells and not row:
            continue
        scanned = line.split("|")[1] if first_cells else line
        for match in FULL.finditer(scanned):
            name = match.group(0)
            if scanned[match.end():match.end() + 3].startswith(("__…", "__*", "__{")):
                if not first_cells:
                    yield number, name + "__"  # a section named as a prefix
            else:
                last = name
                yield number, name
        if not (row and section) and last is not None and "__" in last:
            for match in SHORT.finditer(scanned):
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


def setting_variables(model: type[BaseModel] = Settings, prefix: str = "ESCALATION_") -> Iterator[str]:
    """The variable of every setting: a section's settings, not the section; a list of entries (API keys,
    webhooks) is one setting, given as JSON."""
    for name, field in model.model_fields.items():
        variable = prefix + name.upper()
        kinds = [field.annotation, *get_args(field.annotation)]
        sections = [kind for kind in kinds if isinstance(kind, type) and issubclass(kind, BaseModel)]
        if sections and get_origin(field.annotation) is not list:
            for section in sections:
                yield from setting_variables(section, variable + "__")
        else:
            yield variable


def test_every_setting_is_documented() -> None:
    """The converse of the test above: paths.sample_dir, sweeper.batch_size, the caches and more could be set
    and were described nowhere an operator looks (README.md or docs/**/*.md, by their variable)."""
    named = {name for page in PAGES for _, name in named_variables(page.read_text(encoding="utf-8"))}
    missing = sorted({*setting_variables(), *ALIASES} - named)
    assert not missing, f"document in README.md's Configuration, or the page of their area: {missing}"


def is_setting_path(parts: list[str]) -> bool:
    """Whether `serving.max_page_size`, `outbox.email.host` … names a setting (or a section)."""
    model: object = Settings
    for part in parts:
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return False
        field = model.model_fields[part]
        sections = [kind for kind in (field.annotation, *get_args(field.annotation))
                    if isinstance(kind, type) and issubclass(kind, BaseModel)]
        model = sections[0] if sections else None
    return True


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_setting_the_docs_name_by_its_path_is_one(page: Path) -> None:
    """`sweeper.max_sleep_s`, `serving.max_page_size`: the prose names settings by their path, too; a module
    of the same name (`helpdesks.common.split_ticket_id`) is no setting."""
    sections = "|".join(Settings.model_fields)
    dotted = re.compile(rf"`((?:{sections})(?:\.[a-z_0-9]+)+)`")
    wrong = []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        for match in dotted.finditer(line):
            parts = match.group(1).split(".")
            module = any((ROOT / "/".join(parts[:i])).with_suffix(".py").exists()
                         for i in range(2, len(parts)))
            if not module and not is_setting_path(parts):
                wrong.append(f"line {number}: {match.group(1)}")
    assert not wrong, f"{page.name} names settings that do not exist: {wrong}"


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


def default_of(variable: str) -> object:
    """The default the settings' classes give `variable` (not a Settings() read from this environment)."""
    model: Any = Settings
    value: object = None
    for part in variable.removeprefix("ESCALATION_").lower().split("__"):
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return MISSING
        field = model.model_fields[part]
        value = field.get_default(call_default_factory=True)
        models = [a for a in (field.annotation, *get_args(field.annotation))
                  if isinstance(a, type) and issubclass(a, BaseModel)]
        model = models[0] if models else None
    return value


def stated(cell: str) -> object:
    """A settings table's default as a value: `true`, `text`, 8, 1 000 000, `{}` (a word such as 'off' or
    'random per process' is no value: None)."""
    cell = re.sub(r"\s*\(.*\)$", "", cell.strip())
    quoted = re.fullmatch(r"`([^`]*)`", cell)
    text = quoted.group(1) if quoted else cell.replace(" ", "").replace("\u202f", "").replace(",", "")
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text if quoted else None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_default_a_settings_table_states_is_the_settings(page: Path) -> None:
    wrong, text = [], page.read_text(encoding="utf-8")
    rows: dict[int, list[str]] = {}
    for number, name in named_variables(text, first_cells=True):
        rows.setdefault(number, []).append(name)
    defaults_table, before = False, ""
    for number, line in enumerate(text.splitlines(), 1):
        cells = line.split("|")
        if line.startswith("|") and not before.startswith("|"):  # a table's heading: is its second a default?
            defaults_table = len(cells) > 2 and cells[2].strip().lower() == "default"
        before = line
        if not defaults_table or not line.startswith("| `") or len(cells) < 4:
            continue
        names = rows.get(number, [])
        defaults = re.split(r"\s+/\s+|,\s+(?=`|\d)", cells[2].strip())
        if not names or len(names) % len(defaults):
            continue
        each = len(names) // len(defaults)  # a table of several sections: each name in each of them
        for index, name in enumerate(names):
            cell = defaults[index // each]
            want, got = stated(cell), default_of(name)
            if want is None or got is MISSING or isinstance(got, SecretStr):
                continue
            if isinstance(got, bool) or isinstance(want, bool):
                same = got == want
            elif isinstance(got, int | float) and isinstance(want, float):
                same = float(got) == want
            else:  # a path or URL under the checkout is said from its root: `models/`, sqlite:///var/…
                same = str(got).replace(f"{ROOT}/", "").rstrip("/") == str(want).rstrip("/")
            if not same:
                wrong.append(f"line {number}: {name} is {got!r}, the table says {cell.strip()}")
    assert not wrong, f"{page.name}: {wrong}"
