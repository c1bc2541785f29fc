"""Fixtures of the channel tests: the shared stack (tests/conftest.py) seen as the hotline's."""

from __future__ import annotations

import pytest

from tests.channels.helpers import Hotline
from tools.stack import StackSettings


@pytest.fixture(scope="session")
def channel_stack(stack: StackSettings) -> StackSettings:
    return stack


@pytest.fixture()
def hotline(stack: StackSettings) -> Hotline:
    return Hotline(stack)
