"""The one way the project starts Rasa: ``python -m connectors.launcher <rasa command> …``.

``make run`` (through ``tools/stack.py``), ``make shell`` and ``make test-stories`` all start Rasa
here, so the Rasa patches of ``connectors.rasa_speedups`` are installed in exactly one place, before
Rasa builds its server or its workers (forked workers inherit them). They are installed only when the
running Rasa is the version they were written and tested for, and not when ``RASA_SPEEDUPS=0``; in
either case Rasa runs unpatched, as plain Rasa. Rasa 3.6 has no public hook for this: its plugin
manager loads only ``rasa_plus``.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)
OFF = ("0", "false", "no", "off")


def install_patches(environ: os._Environ[str] | dict[str, str] = os.environ) -> bool:
    """Install the Rasa patches when allowed; True when they are in place."""
    if environ.get("RASA_SPEEDUPS", "1").strip().lower() in OFF:
        log.info("RASA_SPEEDUPS=0: Rasa runs without the project's patches")
        return False
    from rasa.version import __version__

    from connectors import rasa_speedups

    if __version__ != rasa_speedups.RASA_VERSION:
        log.warning(
            "Rasa %s is not %s, for which connectors/rasa_speedups.py was written: running unpatched",
            __version__,
            rasa_speedups.RASA_VERSION,
        )
        return False
    rasa_speedups.install()
    return True


def install_log_masking() -> None:
    """Phone and ID numbers masked in every log record of the Rasa process (messages, arguments,
    tracebacks), before Rasa configures its logging; forked Sanic workers inherit it."""
    from bot.privacy import install_log_filter

    install_log_filter()


MAX_REQUEST_BODY = 64 * 1024


def limit_request_size(environ: os._Environ[str] | dict[str, str] = os.environ) -> int:
    """Cap every request body Rasa's Sanic server accepts (Sanic's default is 100 MB): a larger one is
    refused with 413 before it is read. Sanic takes its settings from ``SANIC_*`` variables when Rasa
    creates the server, so an operator's ``SANIC_REQUEST_MAX_SIZE`` wins."""
    environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(MAX_REQUEST_BODY))
    return int(environ["SANIC_REQUEST_MAX_SIZE"])


def main(argv: list[str] | None = None) -> None:
    install_log_masking()
    limit_request_size()
    install_patches()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
