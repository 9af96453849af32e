"""The snooze form's choices as instants: in an hour, in four hours, tomorrow at 09:00 in the manager's time
zone (dashboard.time_zone), or a date and time of the manager's choosing in that zone. Pure: (choice, now,
zone) -> until; the service checks that it is ahead and within the longest snooze."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from serving.errors import InputError

# the buttons' values and their labels' keys (serving/wording/labels.py)
CHOICES = {"1h": "snooze_1h", "4h": "snooze_4h", "tomorrow": "snooze_tomorrow"}
MORNING = time(9, 0)


def snooze_until(choice: str, custom: str, now: datetime, zone: str) -> datetime:
    """The instant the snooze ends. `custom`: a datetime-local value (YYYY-MM-DDTHH:MM) in `zone`, used when
    `choice` is empty."""
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "4h":
        return now + timedelta(hours=4)
    local = ZoneInfo(zone)
    if choice == "tomorrow":
        tomorrow = now.astimezone(local).date() + timedelta(days=1)
        return datetime.combine(tomorrow, MORNING, tzinfo=local)
    if choice:
        raise InputError(f"for: {choice[:30]!r} is not a snooze choice; one of {', '.join(CHOICES)}")
    try:
        picked = datetime.fromisoformat(custom.strip())
    except ValueError:
        raise InputError(
            f"until: {custom[:30]!r} is no date and time; give YYYY-MM-DDTHH:MM ({zone})"
        ) from None
    return picked.replace(tzinfo=local) if picked.tzinfo is None else picked
