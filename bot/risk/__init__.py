"""Risk screening of citizens' messages (DESIGN.md "Risk levels — contract").

``screen(text, facts)`` runs on every message and returns a ``RiskAssessment`` (``urgent`` /
``elevated`` / ``none``, the signals and the fitting hotlines); ``emergency_message(assessment)`` is the
text to show the citizen at once. Patterns, hotlines and texts are data: ``risk.yml`` (kinds, headcount,
hotlines, texts) and ``risk_lexicon.yml`` (normalisation, macros, context cues, exclusions).
"""

from bot.risk.engine import (
    EmergencyNumber,
    RiskAssessment,
    RiskSignal,
    screen,
)
from bot.risk.messages import emergency_message
from bot.risk.numerals import parse_count
from bot.risk.rules import ELEVATED, LEVELS, NONE, URGENT, RiskRules

__all__ = [
    "ELEVATED",
    "LEVELS",
    "NONE",
    "URGENT",
    "EmergencyNumber",
    "RiskAssessment",
    "RiskRules",
    "RiskSignal",
    "emergency_message",
    "parse_count",
    "screen",
]
