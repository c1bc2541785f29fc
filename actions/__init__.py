"""Thin rasa_sdk actions; the logic they call lives in the ``bot`` package."""
