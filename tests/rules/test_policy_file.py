# ruff: noqa: E501  (the exact messages read best unbroken)
"""One test per kind of policy-file error, with the exact message: file, line, field, what to do."""

from pathlib import Path

import pytest

from core.errors import ConfigError
from rules.policy_file import DEFAULT_POLICY_FILE, load_policies, parse_policies

BASE = """calendars:
  office:
    timezone: Europe/Oslo
    hours:
      mon-fri: ["08:00-16:00"]
policies:
  - name: standard
    calendar: office
    targets:
      first_response: {normal: 1h}
      resolution: {normal: 8h}
"""
LEVELS = "".join(f"        - {{after: {n}h, to: {{person: p{n}}}}}\n" for n in range(5))


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_policies(text, source="p.yaml")
    header, *lines = str(caught.value).splitlines()
    return [line.strip() for line in lines] or [header]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("{normal: 1h}", "{normal: 2hx}"),
            "p.yaml, line 10, at policies[0].targets.first_response.normal: '2hx' is not a duration: write a whole "
            "number followed by d, h, m or s, largest unit first, e.g. '30m', '2h', '1h30m', '1d'",
        ),
        (
            ("calendar: office", "calendar: offcie"),
            "p.yaml, line 8, at policies[0].calendar: unknown calendar 'offcie'; defined: office",
        ),
        (
            ('["08:00-16:00"]', '["08:00-12:00", "11:00-16:00"]'),
            "p.yaml, line 5, at calendars.office.hours.mon-fri: overlapping hours on mon: 08:00-12:00 and 11:00-16:00",
        ),
        (
            ('["08:00-16:00"]', '["22:00-06:00"]'),
            "p.yaml, line 5, at calendars.office.hours.mon-fri: interval '22:00-06:00' ends before it starts; "
            "split a night shift at 24:00",
        ),
        (
            ("mon-fri:", "mon-fry:"),
            "p.yaml, line 5, at calendars.office.hours.mon-fry: 'mon-fry' is not a day or day range; "
            "use mon..sun or a range such as 'mon-fri'",
        ),
        (
            ("Europe/Oslo", "Europe/Olso"),
            "p.yaml, line 3, at calendars.office.timezone: unknown time zone 'Europe/Olso'; "
            "use an IANA name such as Europe/Oslo or UTC",
        ),
        (
            ("{normal: 1h}", "{norml: 1h}"),
            "p.yaml, line 10, at policies[0].targets.first_response.norml: "
            "Input should be 'low', 'normal', 'high' or 'urgent' (got 'norml')",
        ),
        (
            ("    calendar: office\n", ""),
            "p.yaml, line 7, at policies[0].calendar: missing field 'calendar'; add it",
        ),
        (
            ("    calendar: office", "    calendar: office\n    pause_statuses: [solved]"),
            "p.yaml, line 9, at policies[0].pause_statuses: status solved cannot pause a clock; "
            "use pending and/or on_hold",
        ),
        (
            (
                "    calendar: office",
                "    when: {field: colour, operator: equal_to, value: red}\n    calendar: office",
            ),
            "p.yaml, line 8, at policies[0].when.field: unknown field 'colour'; known fields: assignee, body, "
            "category, channel, customer_id, customer_text, customer_tier, customer_value, language, priority, "
            "product, risk, signals, subject, team, text",
        ),
        (
            (
                "    calendar: office",
                "    when:\n      field: channel\n      operator: greater_than\n"
                "      value: email\n    calendar: office",
            ),
            "p.yaml, line 10, at policies[0].when.operator: operator 'greater_than' does not apply to keyword "
            "field 'channel'; use one of: equal_to, in, not_equal_to, not_in",
        ),
        (
            (
                "    calendar: office",
                "    when: {field: channel, operator: equal_to, value: fax}\n    calendar: office",
            ),
            "p.yaml, line 8, at policies[0].when.value: 'fax' is not a channel; "
            "use one of: email, web, phone, chat, twitter, facebook",
        ),
        (
            (
                "    calendar: office",
                "    when: {field: risk, operator: at_least, value: 0.5}\n    calendar: office",
            ),
            "p.yaml, line 8, at policies[0].when: field 'risk' is supplied by the caller at evaluation time: "
            "use it in `triggers` only",
        ),
        (
            (
                "      resolution: {normal: 8h}",
                "      resolution: {normal: 8h}\n      resolution: {normal: 9h}",
            ),
            "p.yaml, line 12, at policies[0].targets.resolution: key 'resolution' appears twice (first on line 11); "
            "YAML would keep only the last",
        ),
        (
            ("    targets:", "    targets: [oops"),
            "p.yaml, line 10: not valid YAML: expected ',' or ']', but got ':'; fix the syntax",
        ),
    ],
    ids=[
        "bad-duration",
        "unknown-calendar",
        "overlapping-hours",
        "night-interval",
        "bad-day",
        "time-zone",
        "bad-priority",
        "missing-field",
        "bad-pause-status",
        "unknown-condition-field",
        "bad-operator",
        "bad-value",
        "caller-field-in-policy",
        "duplicate-key",
        "yaml-syntax",
    ],
)
def test_error_names_file_line_and_field(edit: tuple[str, str], expected: str) -> None:
    assert problems(BASE.replace(*edit)) == [expected]


def test_unknown_field_suggests_the_right_one() -> None:
    found = problems(BASE.replace("    calendar: office", "    calender: office"))
    assert found[1] == (
        "p.yaml, line 8, at policies[0].calender: unknown field 'calender' (did you mean 'calendar'?); known fields: "
        "calendar, customer_message_resumes, escalation, escalation_clock, name, pause_statuses, reminders, "
        "targets, when"
    )


def test_more_than_four_levels() -> None:
    text = BASE + "    escalation:\n      resolution:\n" + LEVELS
    assert problems(text) == [
        "p.yaml, line 13, at policies[0].escalation.resolution: resolution has 5 escalation levels; "
        "at most 4 are supported: merge levels or notify a group"
    ]


def test_levels_out_of_order() -> None:
    text = (
        BASE
        + "    escalation:\n      resolution:\n        - {after: 2h, to: manager}\n        - {to: team_lead}\n"
    )
    assert problems(text) == [
        "p.yaml, line 13, at policies[0].escalation.resolution: resolution escalation levels must come in order "
        "of their `after` delay"
    ]


def test_group_without_name() -> None:
    text = BASE + "    escalation:\n      resolution:\n        - {after: 0m, to: {group: }}\n"
    assert problems(text) == [
        "p.yaml, line 14, at policies[0].escalation.resolution[0].to: a group recipient needs a name, "
        "e.g. {group: senior-finance}"
    ]


def test_escalation_without_a_target_is_dead() -> None:
    text = BASE + "    escalation:\n      next_response:\n        - {to: manager}\n"
    assert problems(text) == [
        "p.yaml, line 13, at policies[0].escalation.next_response: escalation for next_response, but the policy "
        "sets no next_response target: add one"
    ]


def test_a_target_the_calendar_cannot_reach_in_ten_years_is_refused_at_load() -> None:
    # 528 weeks of 40 h (the engine looks 3,700 days ahead), less an hour for each of 11 spring-forward days.
    within = "calendar 'office' is sure to be open in the ten years a deadline is looked for"
    assert problems(BASE.replace("resolution: {normal: 8h}", "resolution: {normal: 879d14h}")) == [
        f"p.yaml, line 11, at policies[0].targets.resolution.normal: 879d14h of open time is more than {within} "
        "(879d13h: 40h a week, less its holidays and DST days), so no deadline could be computed; shorten it "
        "(1d is 24 h of open time, not a calendar day)"
    ]
    assert parse_policies(BASE.replace("resolution: {normal: 8h}", "resolution: {normal: 879d13h}")).policies
    # A recurring holiday closes up to 11 days, at most three of each weekday: 88 h here.
    holiday = '["08:00-16:00"]\n    holidays: [{date: 2025-12-25, recurring: true}]'
    assert problems(BASE.replace('["08:00-16:00"]', holiday).replace("{normal: 8h}", "{normal: 876d}")) == [
        f"p.yaml, line 12, at policies[0].targets.resolution.normal: 876d of open time is more than {within} "
        "(875d21h: 40h a week, less its holidays and DST days), so no deadline could be computed; shorten it "
        "(1d is 24 h of open time, not a calendar day)"
    ]


def test_many_holidays_on_closed_days_do_not_refuse_a_short_target() -> None:
    # Open an hour on Mondays; 96 recurring holidays close at most three Mondays each in ten years.
    days = ", ".join(f"{{date: 2025-{m:02d}-{d:02d}, recurring: true}}" for m in range(1, 13) for d in range(1, 9))
    text = BASE.replace('mon-fri: ["08:00-16:00"]', f'mon: ["08:00-09:00"]\n    holidays: [{days}]')
    assert parse_policies(text.replace("{normal: 8h}", "{normal: 9d}")).policies  # 216 of 528 weeks


def test_a_business_clock_level_the_calendar_cannot_reach_is_refused_at_load() -> None:
    text = BASE.replace("{normal: 8h}", "{normal: 800d, low: 8h}") + (
        "    escalation:\n      resolution:\n        - {after: 1h, to: manager}\n        - {after: 80d, to: manager}\n"
    )
    assert problems(text) == [
        "p.yaml, line 15, at policies[0].escalation.resolution[1].after: the resolution target (800d) and this "
        "level's delay come to 880d of open time, more than calendar 'office' is sure to be open in the ten years "
        "a deadline is looked for (879d13h: 40h a week, less its holidays and DST days), so no escalation instant "
        "could be computed; shorten them"
    ]
    assert parse_policies(text.replace("    escalation:", "    escalation_clock: wall\n    escalation:")).policies


@pytest.mark.parametrize(
    ("edit", "where", "problem"),
    [
        (
            "routing:\n  - {name: r, when: {field: channel, operator: equal_to, value: chat}, team: \"bil\\0ling\"}\n",
            "line 13, at routing[0].team",
            "holds a NUL character (U+0000) at position 3; texts may not contain NUL (got 'bil\\x00ling')",
        ),
        (
            "triggers:\n  - {name: t, when: {field: channel, operator: equal_to, value: chat}, to: {group: \"   \"}}\n",
            "line 13, at triggers[0].to.name",
            "'   ' is blank; send a value other than white space (got '   ')",
        ),
        (
            f"routing:\n  - {{name: r, when: {{field: channel, operator: equal_to, value: chat}}, team: {'t' * 201}}}\n",
            "line 13, at routing[0].team",
            "201 characters; at most 200 are accepted (got '" + "t" * 79 + "… (201 characters))",
        ),
    ],
)
def test_a_team_or_recipient_name_the_store_could_not_keep_is_refused(edit: str, where: str, problem: str) -> None:
    assert problems(BASE + edit) == [f"p.yaml, {where}: {problem}"]


def test_unicode_names_are_kept() -> None:
    edit = "routing:\n  - {name: r, when: {field: channel, operator: equal_to, value: chat}, team: Støtte-Ærø}\n"
    assert parse_policies(BASE + edit).routing[0].spec.team == "Støtte-Ærø"  # type: ignore[union-attr]


def test_a_reminder_no_time_before_the_deadline_is_refused() -> None:
    assert problems(BASE + "    reminders: [{before: 0m}]\n") == [
        "p.yaml, line 12, at policies[0].reminders[0].before: a reminder 0m before the deadline would never be "
        "sent (a breach is shown, not reminded of): give a lead longer than zero, e.g. 30m"
    ]
    assert problems(BASE + "    reminders: [{before: 10m, targets: []}]\n") == [
        "p.yaml, line 12, at policies[0].reminders[0].targets: a reminder for no target would never be sent: "
        "name some, or leave `targets` out for all"
    ]


def test_a_reminder_whose_lead_is_as_long_as_its_target_is_refused_naming_the_line() -> None:
    # first response 1h, reminder 2h before: its instant would lie before the clock starts, so it is never sent
    assert problems(BASE + "    reminders: [{before: 2h, targets: [first_response]}]\n") == [
        "p.yaml, line 12, at policies[0].reminders[0].before: a reminder 2h before the deadline is never sent "
        "for first_response (its longest target is 1h): give a lead shorter than the target, or leave "
        "first_response out of `targets`"
    ]
    assert problems(BASE + "    reminders: [{before: 1h, targets: [resolution, first_response]}]\n") == [
        "p.yaml, line 12, at policies[0].reminders[0].before: a reminder 1h before the deadline is never sent "
        "for first_response (its longest target is 1h): give a lead shorter than the target, or leave "
        "first_response out of `targets`"
    ]
    # `targets` left out: for each target the policy sets; refused only when it fits none of them
    assert problems(BASE + "    reminders: [{before: 8h}]\n") == [
        "p.yaml, line 12, at policies[0].reminders[0].before: a reminder 8h before the deadline is never sent "
        "for first_response (its longest target is 1h) or resolution (its longest target is 8h): give a lead "
        "shorter than the target, or leave first_response, resolution out of `targets`"
    ]


def test_a_reminder_that_fits_some_of_its_targets_or_priorities_loads() -> None:
    # the lead is as long as the shortest first-response target: that priority gets no reminder (documented)
    edit = BASE.replace("{normal: 1h}", "{urgent: 30m, normal: 1h}")
    assert parse_policies(edit + "    reminders: [{before: 30m, targets: [first_response]}]\n").policies
    # `targets` left out: it reminds of the resolution target, which is longer than its lead
    assert parse_policies(BASE + "    reminders: [{before: 2h}]\n").policies
    assert parse_policies(BASE + "    reminders: [{at_share: 0.9}]\n").policies


def test_a_holiday_listed_twice_is_refused_naming_both() -> None:
    holidays = (
        '["08:00-16:00"]\n    holidays:\n      - {date: 2026-05-14, name: Ascension Day}\n'
        "      - {date: 2025-12-25, recurring: true}\n      - {date: 2026-05-14, name: Whit Monday}\n"
        "      - {date: 2026-12-25, recurring: true}\n      - {date: 2026-12-24}\n      - {date: 2025-12-24}"
    )
    assert problems(BASE.replace('["08:00-16:00"]', holidays)) == [
        "p.yaml, line 9, at calendars.office.holidays[2]: 2026-05-14 is listed twice (also holidays[0]); "
        "list a day once, or correct the date",
        "p.yaml, line 10, at calendars.office.holidays[3]: 12-25 (recurring) is listed twice (also holidays[1]); "
        "list a day once, or correct the date",
    ]


def test_duplicate_policy_names() -> None:
    second = "  - name: standard\n    calendar: office\n    targets: {}\n"
    assert problems(BASE + second) == [
        "p.yaml, line 12, at policies[1].name: name 'standard' is used twice (also policies[0]); names must be unique"
    ]


def test_not_a_mapping() -> None:
    assert problems("- just\n- a list\n") == [
        "p.yaml: a policy file is a mapping with `calendars` and `policies` (see the default)"
    ]


def test_all_problems_are_reported_at_once() -> None:
    text = BASE.replace("{normal: 1h}", "{normal: 2hx}").replace("Europe/Oslo", "Mars/Base")
    with pytest.raises(ConfigError, match=r"^2 problem\(s\) in policy file p.yaml:"):
        parse_policies(text, source="p.yaml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"cannot read policy file .*nope.yaml: No such file or directory; check"
    ):
        load_policies(tmp_path / "nope.yaml")


def test_an_impossible_date_names_its_line() -> None:
    text = BASE.replace('["08:00-16:00"]', '["08:00-16:00"]\n    holidays: [2026-01-01, 2026-02-30]')
    assert problems(text) == [
        "p.yaml, line 6: not valid YAML: 2026-02-30 is not a date (day is out of range for month); "
        "write an existing date as YYYY-MM-DD"
    ]


def test_a_nul_or_control_character_names_its_line() -> None:
    assert problems(BASE.replace("name: standard", "name: stan\x00dard")) == [
        "p.yaml, line 7: not valid YAML: character #x0000 is not allowed (a NUL or control character); remove it"
    ]


def test_nesting_too_deep_to_read_is_a_problem() -> None:
    deep = "{all: [" * 400 + "{field: team, operator: equal_to, value: a}" + "]}" * 400
    assert problems(BASE + f"    when: {deep}\n") == [
        "p.yaml: nested too deeply to read (Python's recursion limit); flatten the file's lists and mappings"
    ]


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("standard", "st\u00e5ndard").encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_policies(path)
    assert str(caught.value) == (
        f"cannot read policy file {path}: line 7 is not UTF-8 text (byte 0xe5); save the file as UTF-8"
    )


def test_a_file_over_a_megabyte_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "every-day.yaml"
    path.write_text(BASE + "#" * (1 << 20), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_policies(path)
    assert str(caught.value) == (
        f"policy file {path} is {path.stat().st_size:,} bytes; at most 1,048,576 (1 MiB) are read — a policy "
        "file is a few KB: list holidays and hours, not every day"
    )


def test_aliases_that_expand_past_the_limit_are_refused() -> None:
    bomb = "x: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, previous in zip("bcdef", "abcde", strict=True):
        bomb += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]\n"
    assert problems(bomb + BASE) == [
        "p.yaml: its YAML aliases (*name) expand to over 100,000 values; a policy file is a few hundred: "
        "repeat less through aliases"
    ]
    other = "calendars:\n  other: {timezone: UTC, hours: *office}"
    shared = 'hours: &office {mon-fri: ["08:00-16:00"]}\n' + BASE.replace("calendars:", other, 1)
    assert problems(shared) == [
        "p.yaml, line 1, at hours: unknown field 'hours'; known fields: auto_priority, calendars, custom_fields, "
        "policies, routing, triggers"
    ]  # an anchor kept to a few values is read as usual
    assert problems("loop: &a [*a]\n" + BASE) == [
        "p.yaml: its YAML aliases (*name) expand to over 100,000 values; a policy file is a few hundred: "
        "repeat less through aliases"
    ]


def test_a_huge_wrong_value_is_shortened_in_the_message() -> None:
    big = "[" + ", ".join(["x"] * 50_000) + "]"
    (problem,) = problems(BASE.replace("timezone: Europe/Oslo", f"timezone: {big}"))
    assert problem.startswith("p.yaml, line 3, at calendars.office.timezone: Input should be a valid string (got ['x', 'x',")
    assert problem.endswith("… (50000 items))")
    assert len(problem) < 300


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("Europe", "'Europe'"), ("a" * 300, "'" + "a" * 300 + "'"), ("localtime", "'localtime'"), ("Factory", "'Factory'")],
)
def test_a_time_zone_that_is_a_folder_too_long_or_the_machines_own_is_unknown(zone: str, shown: str) -> None:
    assert problems(BASE.replace("Europe/Oslo", zone)) == [
        f"p.yaml, line 3, at calendars.office.timezone: unknown time zone {shown}; "
        "use an IANA name such as Europe/Oslo or UTC"
    ]


def test_the_shipped_default_loads() -> None:
    policies = load_policies()
    assert policies.source == str(DEFAULT_POLICY_FILE)
    assert [p.name for p in policies.policies] == ["social-media", "billing-urgent", "enterprise", "standard"]
    assert policies.policies[-1].spec.when is None  # the catch-all comes last


def test_comments_and_layout_do_not_change_versions() -> None:
    plain = parse_policies(BASE)
    commented = parse_policies(
        "# a comment\n" + BASE.replace("{normal: 1h}", "\n        normal: 1h  # one hour")
    )
    assert plain.version == commented.version
    assert plain.policies[0].version == commented.policies[0].version


def test_version_changes_with_the_policy_and_its_calendar() -> None:
    plain = parse_policies(BASE)
    target = parse_policies(BASE.replace("{normal: 1h}", "{normal: 2h}"))
    hours = parse_policies(BASE.replace("08:00-16:00", "09:00-16:00"))
    assert target.policies[0].version != plain.policies[0].version
    assert target.policies[0].calendar.version == plain.policies[0].calendar.version
    assert hours.policies[0].calendar.version != plain.policies[0].calendar.version
    assert hours.policies[0].version != plain.policies[0].version  # a policy's version includes its calendar
    assert len({plain.version, target.version, hours.version}) == 3


def test_unknown_conflict_signal_names_fail_at_load() -> None:
    text = BASE + """triggers:
  - name: angry
    when: {field: signals, operator: contains_any, value: [legal_threat, anger]}
    to: manager
    level: 1
"""
    with pytest.raises(ConfigError, match=r"'anger' is not a conflict signal; use one of: manager_request"):
        parse_policies(text, source="p.yaml")


def test_the_shipped_policies_speak_the_sample_vocabulary() -> None:
    # Categories and teams of data/sample (synthetic/company.py): a default that never
    # matched the shipped sample would leave billing escalation and routing untested in practice.
    policies = load_policies(DEFAULT_POLICY_FILE)
    text = DEFAULT_POLICY_FILE.read_text(encoding="utf-8")
    for name in ("billing_payment", "technical_fault", "data_migration", "shipping_returns"):
        assert name in text
    for team in ("billing", "technical_support", "data_services", "logistics"):
        assert f"team: {team}" in text
    assert policies.policies[-1].name == "standard"
