"""Evidence files (证据上传): photos and PDFs citizens and staff attach to a case.

``content`` checks an upload on its bytes (type by magic number, size, image dimensions) and re-encodes
images without their metadata (EXIF, GPS); ``sealed`` encrypts each file under its own key, wrapped by
the data key of ``bot.privacy``; ``blobs`` keeps the ciphertext (local disk under ``var/`` by default).
Plain Python plus Pillow: the store (``bot.storage.evidence``) and the service use it.
"""

from __future__ import annotations

from bot.evidence.content import Prepared, RejectedFile, prepare

__all__ = ["Prepared", "RejectedFile", "prepare"]
