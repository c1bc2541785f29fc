"""Where evidence ciphertext lives. ``LocalBlobs`` (the default): files under ``EVIDENCE_DIR``, else
``var/evidence/``, folder and files readable by the owner only; ``S3Blobs`` (``bot.evidence.s3``)
when ``EVIDENCE_S3_BUCKET`` is set. A store needs only ``put``, ``get`` and ``delete``."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from bot import paths

DIR_ENV = "EVIDENCE_DIR"
_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-zA-Z_-]{16,80}(\.thumb)?")


class Blobs(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class LocalBlobs:
    """One file per key under ``root`` (created 0700; files 0600, written aside then renamed)."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root or os.environ.get(DIR_ENV) or paths.var_dir() / "evidence")

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError("invalid blob key")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.root.chmod(0o700)
        draft = path.with_name(path.name + ".part")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(draft, path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def default_blobs() -> Blobs:
    """The S3-compatible store when one is configured, else the local folder."""
    from bot.evidence.s3 import S3Blobs

    return S3Blobs.from_env() or LocalBlobs()
