"""Working-day 13710 limits on the center's holiday calendar (chinese-calendar plus the profile's own
dates), and the profile settings that choose them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import paths
from bot.tickets.centers import ProfileError
from bot.tickets.deadlines import compute_deadlines
from bot.tickets.profiles import load_profile_text
from bot.tickets.workdays import WorkCalendar, add_working_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = timedelta(days=1)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_national_day_2026_is_skipped_and_the_adjusted_saturday_counts():
    cal = WorkCalendar()
    filed = local(2026, 9, 30, 10, 0)  # Wednesday before 国庆 (10月1日–7日放假, 10月10日周六上班)
    assert add_working_days(filed, DAY, SHANGHAI, cal) == local(2026, 10, 8, 10, 0)
    assert add_working_days(filed, 3 * DAY, SHANGHAI, cal) == local(2026, 10, 10, 10, 0)


def test_spring_festival_2026_adjusted_workdays():
    cal = WorkCalendar()
    filed = local(2026, 2, 13, 9, 0)  # Friday; 2月14日周六调休上班, 2月15日–23日放假
    assert add_working_days(filed, DAY, SHANGHAI, cal) == local(2026, 2, 14, 9, 0)
    assert add_working_days(filed, 3 * DAY, SHANGHAI, cal) == local(2026, 2, 25, 9, 0)


def test_filed_on_a_holiday_counts_from_the_next_working_day():
    cal = WorkCalendar()
    # 10月3日 is a holiday: one working day is the whole of 10月8日
    assert add_working_days(local(2026, 10, 3, 14, 30), DAY, SHANGHAI, cal) == local(2026, 10, 9, 0, 0)


def test_limits_under_a_day_run_on_the_clock_even_on_holidays():
    filed = local(2026, 10, 2, 22, 0)
    assert add_working_days(filed, timedelta(hours=2), SHANGHAI, WorkCalendar()) == local(2026, 10, 3, 0, 0)


def test_a_year_the_package_does_not_know_uses_weekdays_plus_the_profiles_dates():
    filed = local(2026, 12, 31, 16, 0)  # Thursday; 2027年元旦 (Friday) is not in chinese-calendar 1.11
    plain = WorkCalendar()
    assert not plain.known_year(2027)
    assert add_working_days(filed, DAY, SHANGHAI, plain) == local(2027, 1, 1, 16, 0)
    center = WorkCalendar(holidays=frozenset({date(2027, 1, 1)}))
    assert center.known_year(2027)
    assert add_working_days(filed, DAY, SHANGHAI, center) == local(2027, 1, 4, 16, 0)
    # a center's extra workday (e.g. a 2027 调休 Saturday) counts
    worked = WorkCalendar(holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset({date(2027, 1, 2)}))
    assert add_working_days(filed, DAY, SHANGHAI, worked) == local(2027, 1, 2, 16, 0)


def test_profile_can_ignore_the_package():
    cal = WorkCalendar(use_package=False)
    assert cal.is_workday(date(2026, 10, 8))
    assert cal.is_workday(date(2026, 10, 1))  # a Thursday: without the package only weekends rest
    assert not cal.is_workday(date(2026, 10, 10))  # the adjusted Saturday is unknown too


def _profile(extra: str, replace: tuple[str, str] | None = None):
    text = Path(paths.CENTERS / "default.yml").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1])
    return load_profile_text(text + extra, "centers/test.yml")


def test_working_day_profile_moves_every_whole_day_deadline_past_the_holiday():
    profile = _profile(
        "",
        ("  count: calendar ", "  count: working_days "),
    )
    assert profile.time_limits.count == "working_days"
    filed = local(2026, 9, 30, 10, 0).astimezone(ZoneInfo("UTC"))
    due = compute_deadlines(filed, "general", "none", profile)  # 1, 3, 7, 10 working days
    assert due["sign"] == local(2026, 10, 8, 10, 0)
    assert due["contact"] == local(2026, 10, 10, 10, 0)
    assert due["report"] == local(2026, 10, 15, 10, 0)  # 8, 9, 10(六), 12, 13, 14, 15
    assert due["close"] == local(2026, 10, 20, 10, 0)
    calendar = _profile("")
    assert compute_deadlines(filed, "general", "none", calendar)["sign"] == local(2026, 10, 1, 10, 0)
    # urgent: 2 hours to sign stay 2 hours
    urgent = compute_deadlines(filed, "complex", "urgent", profile)
    assert urgent["sign"] == filed + timedelta(hours=2)


def test_profile_calendar_overrides_are_read():
    profile = _profile(
        "",
        ("  holidays: []             # 如 2027-02-08", "  holidays: [2027-01-01, '2027-02-08']"),
    )
    assert profile.calendar.holidays == frozenset({date(2027, 1, 1), date(2027, 2, 8)})
    assert not profile.calendar.is_workday(date(2027, 2, 8))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  count: calendar ", "  count: weekdays ", "time_limits.count must be calendar or working_days"),
        ("  holidays: []             # 如 2027-02-08", "  holidays: ['2027年2月8日']", "is not a date"),
        ("  holidays: []             # 如 2027-02-08", "  holidays: [2027-02-30]", "invalid value"),
        ("  near_at: 0.8 ", "  near_at: 1.5 ", "near_at must be a share"),
        ("  urgent_realert_every: 30m", "  urgent_realert_every: soon", "not a duration"),
        ("  leads: {}", "  leads: {no_such_window: 王科长}", "unknown window 'no_such_window'"),
    ],
)
def test_bad_settings_name_the_file_and_line(old, new, message):
    with pytest.raises(ProfileError) as err:
        _profile("", (old, new))
    assert any(message in e and e.startswith("centers/test.yml:") for e in err.value.errors), err.value.errors


def test_supervision_settings_from_the_default_profile():
    profile = _profile("", ("  near_at: 0.8 ", "  near_at: '75%' "))
    assert profile.supervision.near_at == 0.75
    assert profile.supervision.urgent_unsigned_after == timedelta(minutes=30)
    assert profile.supervision.notify == ("window_lead", "admin")
