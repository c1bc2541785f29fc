"""The one yes reader of the intake: consent, reusing a phone given before consent, confirmation."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.intake.schema import no_change_words, yes_words
from bot.textnorm import normalize_text


@lru_cache(maxsize=2)
def _starts_with(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(
        rf"^(?:我|俺)?(?:{alternatives})+(?:了|的|吧|啦|呀|啊|哦|喔|嘅|咯|哈|呢|个|嘞|哒|咧|噻|撒|喽|哇|呗|嘛|哟|噢|呐|滴|噶|额|呃)*(?:$|[，,。.！!\s~、])"
    )


def says_yes(text: str, at_confirmation: bool = False) -> bool:
    """ "啱，冇錯", "得", "我同意", "嗯嗯", "同意，我叫石凤霞": a yes in the citizen's own words, with more
    after it or not ("可以不留吗" is none); a classifier trained on Mandarin hears 冇 as a no. At the
    confirmation "不用了" (nothing to change) is one too. The one yes reader of the intake."""
    words = yes_words() + (no_change_words() if at_confirmation else ())
    return bool(_starts_with(words).match(normalize_text(text).strip().lower()))
