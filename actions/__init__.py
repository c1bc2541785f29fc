"""Thin rasa_sdk actions; the logic they call lives in the ``bot`` package.

Importing the package (rasa_sdk does, ``--actions actions``) masks phone and ID numbers in every log
record of the action server, tracebacks included.
"""

from bot.privacy import install_log_filter

install_log_filter()
