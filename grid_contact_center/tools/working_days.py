"""Working-day arithmetic for legal deadlines, free of Odoo so that it can be
tested on fixed dates alone. ``res.company._grid_working_days`` builds the
calendar from the company's ``resource.calendar`` and its leaves."""

from datetime import date, timedelta


class WorkingDays:
    """The working days of one calendar between two dates.

    ``weekdays`` are the ISO-less Python weekdays (Monday is 0) on which the
    calendar has attendances, ``holidays`` the dates off on those weekdays,
    ``extra_workdays`` the weekend dates made working by a transfer of days
    off. Asking about a date outside ``[first, last]`` raises ValueError,
    because the holidays there were not loaded.
    """

    def __init__(self, first, last, weekdays, holidays=(), extra_workdays=()):
        self.first = first
        self.last = last
        self.weekdays = frozenset(weekdays)
        self.holidays = frozenset(holidays)
        self.extra_workdays = frozenset(extra_workdays)

    def is_working(self, day: date) -> bool:
        if not self.first <= day <= self.last:
            raise ValueError(
                f"{day} is outside the loaded range {self.first}..{self.last}"
            )
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """Return ``day`` if it is a working day, else the first one after it."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """Return the ``count``-th working day after ``day`` (``day`` itself
        does not count, as the day a term starts on does not)."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                count -= 1
        return day


def window_for(amount: int, unit: str) -> int:
    """Return how many days past the start a term can reach, with room for
    the longest runs of holidays (the New Year holidays last up to 12 days)."""
    if unit == "working_days":
        return amount * 2 + 40
    return amount + 40
