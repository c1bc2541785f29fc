"""When a person can answer a citizen in the chat (live 转人工): the profile's ``handoff:`` section.

The center's ``hours`` is a text for citizens; live hand-off needs the same hours as data (weekdays and
periods, in the center's time zone), how long a citizen waits for a taker before being told honestly
that nobody is free, and the texts said on the way. Plain data and a clock test, no framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from bot.tickets.workdays import WorkCalendar

DEFAULT_TEXTS = {
    "waiting": "好的，正在为您转接工作人员，请稍候，接通后会在这里回复您。受理编号：{code}。",
    "misunderstood": "抱歉，我一直没能理解您的意思，已为您转接工作人员，请稍候，接通后会在这里回复您。受理编号：{code}。",
    "offline": "现在没有工作人员在线（办公时间：{hours}），已为您登记，受理编号：{code}。",
    "expired": "抱歉，工作人员暂时都在忙，没能及时接入。已为您登记，受理编号：{code}。",
    "callback": "工作人员会在办公时间内给您回电，一般不超过1个工作日。",
    "visit": "请在办公时间带上编号到综合受理窗口，或拨打 {phone}。",
    "taken": "工作人员{staff}已接入，请直接说您的情况。",
    "released": "工作人员{staff}已把对话交回智能助手，我们接着来。",
    "closed": "工作人员{staff}已结束本次对话，您的事情已登记，受理编号：{code}。还有别的事可以随时说。",
}


@dataclass(frozen=True)
class Period:
    start: time
    end: time


@dataclass(frozen=True)
class HandoffSettings:
    """``weekdays`` 1 (Monday) … 7; ``periods`` within a day; ``closed_dates`` holidays (法定节假日);
    ``wait_minutes`` before an untaken hand-off is given up (the ticket stays filed);
    ``after_misunderstood`` messages in a row the bot could not use before it calls a person itself
    (0: only when asked)."""

    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    periods: tuple[Period, ...] = (Period(time(9), time(12)), Period(time(13, 30), time(17, 30)))
    closed_dates: frozenset[date] = frozenset()
    wait_minutes: int = 5
    after_misunderstood: int = 3
    texts: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TEXTS))

    def staffed(self, local: datetime, calendar: WorkCalendar | None = None) -> bool:
        """Whether staff are on duty at this local time of the center. The center's working-day
        ``calendar`` (``workdays.py``) closes a legal holiday on a weekday and opens a 调休 weekend;
        otherwise ``weekdays`` decide."""
        day = local.date()
        if calendar is not None and calendar.is_workday(day) != (day.weekday() < 5):
            on_duty_day = calendar.is_workday(day)
        else:
            on_duty_day = local.isoweekday() in self.weekdays
        if not on_duty_day or day in self.closed_dates:
            return False
        now = local.time().replace(tzinfo=None)
        return any(p.start <= now < p.end for p in self.periods)

    def text(self, key: str, **values: str) -> str:
        template = self.texts.get(key) or DEFAULT_TEXTS[key]
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
