"""Rasa's patches are installed in one place (connectors.launcher), only for the Rasa version they
were written for, never by importing a channel, and can be switched off."""

import subprocess
import sys
from collections.abc import Iterator

import pytest
from rasa.shared.core.trackers import DialogueStateTracker

from bot import paths
from connectors import launcher, rasa_speedups


@pytest.fixture(autouse=True)
def _plain_rasa_after() -> Iterator[None]:
    rasa_speedups.uninstall()
    yield
    rasa_speedups.uninstall()


def test_importing_the_hotline_channel_patches_nothing() -> None:
    # in a fresh interpreter: in this one another test module has imported the channel already
    check = (
        "import connectors.channels.hotline\n"
        "from connectors import rasa_speedups\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "assert not rasa_speedups.installed()\n"
        "assert RemoteAction._validate_action_result.__module__ == 'rasa.core.actions.action'\n"
        "print('unpatched')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=paths.ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("unpatched"), done.stderr[-2000:]


def test_the_launcher_installs_every_patch_and_uninstall_restores_rasa() -> None:
    original_copy = DialogueStateTracker.copy
    assert launcher.install_patches({}) is True
    assert rasa_speedups.installed()
    assert DialogueStateTracker.copy is rasa_speedups.copy_tracker
    rasa_speedups.uninstall()
    assert DialogueStateTracker.copy is original_copy
    assert not rasa_speedups.installed()


@pytest.mark.parametrize("value", ["0", "off", "false"])
def test_rasa_speedups_0_runs_plain_rasa(value: str) -> None:
    assert launcher.install_patches({"RASA_SPEEDUPS": value}) is False
    assert not rasa_speedups.installed()


def test_another_rasa_version_runs_unpatched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_speedups, "RASA_VERSION", "0.0.0")
    assert launcher.install_patches({}) is False
    assert not rasa_speedups.installed()


def test_the_patches_are_written_for_the_installed_rasa() -> None:
    from rasa.version import __version__

    assert __version__ == rasa_speedups.RASA_VERSION
