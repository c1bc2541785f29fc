"""What an uploaded file is, decided on its content, never on its name or the client's content type;
and the form it is kept in: images re-encoded (metadata such as EXIF with the GPS position dropped,
orientation applied, very large photos scaled down) with a small JPEG thumbnail for the ticket page.

Accepted: JPEG, PNG, WebP (kept as JPEG or PNG) and PDF (kept as sent; served to staff only as a
download). Everything else is refused with a short Chinese message for the citizen.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_BYTES_ENV = "EVIDENCE_MAX_BYTES"
MAX_SIDE = 4096  # longer sides are scaled down: enough to read an IOU, not a 100 MB photo
MAX_PIXELS = 60_000_000  # refuse "decompression bombs" (tiny files that unpack to huge images)
THUMB_SIDE = 320

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
# What the citizen is told once a file is kept (widget, WeChat).
RECEIVED = "已收到您的文件，工作人员受理时可以看到。还有其他材料可以继续上传。"


class RejectedFile(ValueError):
    """The upload cannot be kept; ``message`` says why, for the citizen."""

    def __init__(self, message: str, code: str = "invalid_file"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Prepared:
    """An accepted file in its stored form."""

    media_type: str
    body: bytes
    thumbnail: bytes | None = None  # JPEG, images only


def max_bytes() -> int:
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BYTES


def too_large_message(limit: int | None = None) -> str:
    mb = (limit or max_bytes()) / (1024 * 1024)
    return f"文件太大了，每个文件请不要超过 {mb:g} MB。照片可以截图或压缩后再发。"


def sniff(data: bytes) -> str | None:
    """The media type the bytes start with (magic numbers), or None."""
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:5] == b"%PDF-":
        return PDF
    return None


def prepare(data: bytes, limit: int | None = None) -> Prepared:
    """Check and convert one upload; raises ``RejectedFile``."""
    limit = limit or max_bytes()
    if not data:
        raise RejectedFile("没有收到文件内容，请重新选择。", "empty")
    if len(data) > limit:
        raise RejectedFile(too_large_message(limit), "too_large")
    kind = sniff(data)
    if kind is None:
        raise RejectedFile(
            "只能上传照片（JPG、PNG、WebP）或 PDF 文件，这个文件的格式不支持。", "unsupported_type"
        )
    if kind == PDF:
        if b"%%EOF" not in data[-2048:]:
            raise RejectedFile("这个 PDF 文件不完整，请重新导出后再上传。", "broken_file")
        return Prepared(PDF, data)
    return _reencode(data)


def _reencode(data: bytes) -> Prepared:
    """Decode and encode again: only the pixels survive (no EXIF, GPS, comments, ICC extras)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise RejectedFile("图片尺寸过大，请截图或压缩后再上传。", "too_large")
                opened.load()
                image = ImageOps.exif_transpose(opened)  # keep the photo upright once EXIF is gone
    except RejectedFile:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise RejectedFile("这张图片无法打开，可能已损坏，请重新拍照或换一张。", "broken_file") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    keep_alpha = image.mode in ("RGBA", "LA", "P") and _has_alpha(image)
    if keep_alpha:
        stored = _encode(image.convert("RGBA"), "PNG")
        media_type = PNG
    else:
        stored = _encode(image.convert("RGB"), "JPEG", quality=88, optimize=True)
        media_type = JPEG
    thumb = image.convert("RGB")
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return Prepared(media_type, stored, _encode(thumb, "JPEG", quality=80))


def _has_alpha(image: Image.Image) -> bool:
    if image.mode == "P":
        return "transparency" in image.info
    return True


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)  # no exif= / icc_profile= / pnginfo=: nothing but pixels
    return out.getvalue()
