"""Fact extraction from citizens' free Chinese text (amount, headcount, phone, ID, time, location,
counterparty, own name, evidence) as plain, testable Python; the Rasa component wraps it."""

from .extract import extract_facts, facts_dict
from .model import Fact

__all__ = ["Fact", "extract_facts", "facts_dict"]
