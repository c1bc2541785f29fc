"""No phone or ID number reaches a log in clear, tracebacks included, in every process that logs
conversations: the Rasa process (connectors/launcher.py), the action server (actions/__init__.py),
the intake service and the CLI."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

from bot import paths
from bot.privacy import PiiLogFilter

PHONE = "13912345678"
ID_NUMBER = "140105199001011234"


def _fail() -> None:
    raise ValueError(f"could not file ticket for {PHONE}, id {ID_NUMBER}")


def test_a_logged_exception_is_masked_in_the_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(PiiLogFilter())
    logger = logging.getLogger("tests.security.traceback")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        _fail()
    except ValueError:
        logger.exception("filing failed for %s", PHONE)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "Traceback" in out and "ValueError" in out  # the traceback is still there ...
    assert PHONE not in out and ID_NUMBER not in out, out  # ... masked
    assert "139****5678" in out and "140105********1234" in out


_CHILD = """
import logging, sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
{setup}
log = logging.getLogger("child")
try:
    raise ValueError("caller 13912345678 id 140105199001011234")
except ValueError:
    log.exception("failed for 13912345678")
"""


def _run_child(setup: str, plain: bool = False) -> str:
    """The output of a child process running ``setup`` and then logging a failure, or with ``plain``
    only ``setup``: an entry point's own logging set-up (no handler configured before it)."""
    done = subprocess.run(
        [sys.executable, "-c", setup if plain else _CHILD.format(setup=setup)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout + done.stderr


def test_the_rasa_process_masks_its_logs() -> None:
    out = _run_child("from connectors import launcher; launcher.install_log_masking()")
    assert "ValueError" in out
    assert PHONE not in out and ID_NUMBER not in out, out


def test_the_action_server_masks_its_logs() -> None:
    out = _run_child("import actions")
    assert "ValueError" in out
    assert PHONE not in out and ID_NUMBER not in out, out


_FAIL = """
import logging

def fail(*_args, **_kwargs):
    try:
        raise ValueError("caller 13912345678 id 140105199001011234")
    except ValueError:
        logging.getLogger("child").exception("failed for 13912345678")
    return 0
"""


def test_the_intake_service_masks_its_logs() -> None:
    # bot.service's main path: its logging set-up, then the server (here a handler that logs a failure)
    out = _run_child(
        _FAIL
        + "from bot.service import app as service\n"
        + "service.create_app = lambda: None\n"
        + "service.web.run_app = fail\n"
        + "service.main()\n",
        plain=True,
    )
    assert "ValueError" in out and "failed for" in out
    assert PHONE not in out and ID_NUMBER not in out, out


def test_the_cli_masks_its_logs() -> None:
    # bot.cli's main path: its logging set-up, then a command (here one that logs a failure)
    out = _run_child(
        _FAIL
        + "import argparse\n"
        + "from bot import cli\n"
        + "parser = argparse.ArgumentParser()\n"
        + "parser.set_defaults(func=fail)\n"
        + "cli.build_parser = lambda: parser\n"
        + "raise SystemExit(cli.main([]))\n",
        plain=True,
    )
    assert "ValueError" in out and "failed for" in out
    assert PHONE not in out and ID_NUMBER not in out, out
