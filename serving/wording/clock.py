"""Durations and instants in words: wall-clock spans ("2 h 5 min"), business time ("4 business hours"),
and instants in the manager's time zone ("Fri 27 Nov 14:00")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LANGUAGES = ("en", "de", "no")

_UNITS = {  # (day, hour, minute) abbreviations
    "en": ("d", "h", "min"),
    "de": ("T", "Std.", "Min."),
    "no": ("d", "t", "min"),
}
_BUSINESS = {  # one, many business hours; many business minutes; under a minute
    "en": ("1 business hour", "{n} business hours", "{n} business minutes", "under a business minute"),
    "de": (
        "1 Geschäftsstunde", "{n} Geschäftsstunden", "{n} Geschäftsminuten", "unter einer Geschäftsminute"
    ),
    "no": ("1 arbeidstime", "{n} arbeidstimer", "{n} arbeidsminutter", "under ett arbeidsminutt"),
}
_DAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "no": ("man", "tir", "ons", "tor", "fre", "lør", "søn"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "no": ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"),
}


def span(seconds: float, lang: str = "en") -> str:
    """Wall-clock time: '3 d 4 h', '2 h 5 min', '40 min' (at least 1 min: a caller says 'just now')."""
    day, hour, minute = _UNITS[lang]
    minutes = max(1, round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} {day} {hours} {hour}" if hours else f"{days} {day}"
    if hours:
        return f"{hours} {hour} {mins} {minute}" if mins else f"{hours} {hour}"
    return f"{mins} {minute}"


def business_time(hours: float, lang: str = "en") -> str:
    """Open time of the SLA calendar: '4 business hours' (whole hours, rounded down, from one hour on),
    else minutes."""
    one, many, minutes, under = _BUSINESS[lang]
    hours = abs(hours)
    if hours >= 1:
        n = int(hours)
        return one if n == 1 else many.format(n=n)
    n = round(hours * 60)
    return minutes.format(n=n) if n >= 1 else under


def local_time(at: datetime | str | None, zone: str, lang: str = "en", *, with_zone: bool = False) -> str:
    """'Fri 27 Nov 2026 14:00' in the manager's time zone; '—' for none."""
    if at is None or at == "":
        return "—"
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    local = when.astimezone(ZoneInfo(zone))
    text = (
        f"{_DAYS[lang][local.weekday()]} {local.day} {_MONTHS[lang][local.month - 1]} {local.year} "
        f"{local:%H:%M}"
    )
    return f"{text} {local.tzname()}" if with_zone else text


def month_name(at: date, lang: str = "en") -> str:
    """The month's short name as the language writes it: 'Nov' (en), 'Nov.' (de), 'nov.' (no); a name that
    is the whole word ('Mai', 'mai') takes no point."""
    name = _MONTHS[lang][at.month - 1]
    return name if lang == "en" or name.lower() == "mai" else f"{name}."


def month_label(at: date, lang: str = "en") -> str:
    """'Nov 2026', 'Nov. 2026', 'nov. 2026'."""
    return f"{month_name(at, lang)} {at.year}"


def day_label(at: date, lang: str = "en", *, with_year: bool = True) -> str:
    """A calendar day in words: '24 Nov 2026' (en), '24. Nov. 2026' (de), '24. nov. 2026' (no); without the
    year: '24 Nov', '24. Nov.'."""
    day = f"{at.day}" if lang == "en" else f"{at.day}."
    text = f"{day} {month_name(at, lang)}"
    return f"{text} {at.year}" if with_year else text


def number(value: float, lang: str = "en", digits: int = 0) -> str:
    """A number with the language's separators: 102,520 (en), 102.520 (de), 102 520 (no)."""
    text = f"{value:,.{digits}f}"
    if lang == "de":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if lang == "no":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def percent(share: float | None, lang: str = "en", digits: int = 0) -> str:
    """A share 0..1 as the language writes a percentage: '12.5%' (en), '12,5 %' (de, no: a no-break space
    before the sign); '—' for none (no denominator)."""
    if share is None:
        return "—"
    value = number(share * 100, lang, digits)
    return f"{value}%" if lang == "en" else f"{value}\u00a0%"
