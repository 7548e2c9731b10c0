"""Day counting for legal periods.

Choices (see docs/aiact/periods.md and open question 22 of AI-ACT.md):

* **calendar days** — the day of the event is not counted; the period ends on
  ``event + n`` days. No roll-over when the last day is a weekend or holiday: AI-ACT.md's
  worked examples (awareness on 3 March + 10 days = 13 March; plan approved 10 February
  + 14 days = 24 February) add plainly, and the AI Act does not restate Regulation 1182/71.
* **working days** (Art. 18(3) of Regulation 2019/1020) and **business days** (Code of
  Practice) — Monday to Friday; public holidays are not removed because AI-ACT.md gives no
  holiday calendar. A calendar can be passed in as ``holidays``.
* **months / years** — the same day number in the target month; if that month is shorter,
  its last day.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import date, timedelta

__all__ = ["add_calendar_days", "add_months", "add_working_days", "add_years", "parse_date"]

from aiact._answer import InputError


def add_calendar_days(start: date, days: int) -> date:
    """The day ``days`` calendar days after ``start`` (``start`` itself not counted).

    >>> add_calendar_days(date(2026, 3, 3), 10)
    datetime.date(2026, 3, 13)
    """
    return start + timedelta(days=days)


def add_working_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The ``days``-th working day (Monday-Friday, not in ``holidays``) after ``start``.

    >>> add_working_days(date(2026, 11, 27), 10)  # a Friday
    datetime.date(2026, 12, 11)
    """
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            left -= 1
    return current


def add_months(start: date, months: int) -> date:
    """The same day ``months`` months later, or the last day of a shorter month.

    >>> add_months(date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def add_years(start: date, years: int) -> date:
    """The same day ``years`` years later (29 February becomes 28 February).

    >>> add_years(date(2028, 2, 29), 5)
    datetime.date(2033, 2, 28)
    """
    return add_months(start, 12 * years)


def parse_date(value: object, field: str) -> date:
    """Read an ISO date (``YYYY-MM-DD``) given as a string or a date; else :class:`InputError`.

    >>> parse_date("2026-08-02", "as_of")
    datetime.date(2026, 8, 2)
    >>> parse_date("2026-13-01", "as_of")
    Traceback (most recent call last):
    ...
    aiact._answer.InputError: as_of: must be a date YYYY-MM-DD
    """
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(field, "must be a date YYYY-MM-DD")
