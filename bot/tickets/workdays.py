"""Working days for the 13710 limits: which dates a center works, and a limit counted in working days.

A center whose profile sets ``time_limits.count: working_days`` counts whole-day limits on working
days only. Which dates are working days comes from the State Council's yearly holiday notice as
packaged by ``chinese-calendar`` (holidays and the adjusted weekend workdays, 调休), overridden by
the profile's ``calendar:`` section, so a center can add a year the package does not know yet or a
local holiday without waiting for a release. Without either, Monday to Friday are working days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

import chinese_calendar


@dataclass(frozen=True)
class WorkCalendar:
    """``holidays`` and ``workdays`` (dates) override the package; ``use_package`` False ignores it."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    use_package: bool = True

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if self.use_package:
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:  # a year the package has no notice for: weekdays
                pass
        return day.weekday() < 5

    def known_year(self, year: int) -> bool:
        """Whether the package or the profile knows the year's holidays (else only weekends count)."""
        if any(d.year == year for d in self.holidays | self.workdays):
            return True
        if not self.use_package:
            return False
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            return False
        return True


def add_working_days(start: datetime, limit: timedelta, tz: tzinfo, calendar: WorkCalendar) -> datetime:
    """``start`` plus ``limit``, its whole days counted on working days (the rest of the limit is clock
    time after them). Filed on a working day, the limit ends at the same time of day N working days
    later; filed on a rest day, the count starts at midnight of the next working day. Limits under a
    day (an urgent ticket's 2 hours) run on the clock: danger does not wait for Monday."""
    if limit < timedelta(days=1):
        return start + limit
    local = start.astimezone(tz)
    day = local.date()
    if not calendar.is_workday(day):
        while not calendar.is_workday(day):
            day += timedelta(days=1)
        local = datetime.combine(day, time.min, tz)
    whole, rest = limit.days, limit - timedelta(days=limit.days)
    for _ in range(whole):
        day += timedelta(days=1)
        while not calendar.is_workday(day):
            day += timedelta(days=1)
    end = datetime.combine(day, local.timetz().replace(tzinfo=None), tz)
    return end.astimezone(start.tzinfo) + rest
