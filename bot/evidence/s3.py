"""An S3-compatible blob store for evidence ciphertext (AWS S3, MinIO, Ceph RGW, the object stores of
government clouds): ``PUT``/``GET``/``DELETE`` of one object per key, path-style URLs, requests signed
with AWS Signature Version 4. Standard library only: the intake service needs no SDK for three calls.

On when ``EVIDENCE_S3_BUCKET`` is set, with ``EVIDENCE_S3_ENDPOINT`` (e.g. https://minio.example:9000;
default https://s3.<region>.amazonaws.com), ``EVIDENCE_S3_REGION`` (default us-east-1),
``EVIDENCE_S3_ACCESS_KEY``, ``EVIDENCE_S3_SECRET_KEY`` and ``EVIDENCE_S3_PREFIX`` (default evidence/).
The objects are already encrypted (``sealed``): the store never sees a clear file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

ENV = "EVIDENCE_S3_"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


class BlobStoreError(OSError):
    """The object store refused or could not be reached."""


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sigv4_headers(
    method: str,
    url: str,
    body: bytes,
    *,
    region: str,
    access_key: str,
    secret_key: str,
    now: datetime | None = None,
    service: str = "s3",
) -> dict[str, str]:
    """The headers that sign one request (no query string) with AWS Signature Version 4."""
    now = now or datetime.now(timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    parts = urlsplit(url)
    payload = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
    headers = {"host": parts.netloc, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(
        [
            method,
            quote(parts.path or "/", safe="/-_.~"),
            "",
            "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)),
            signed,
            payload,
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()]
    )
    key = _hmac(("AWS4" + secret_key).encode("utf-8"), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return {
        "x-amz-content-sha256": payload,
        "x-amz-date": amz_date,
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"
        ),
    }


@dataclass(frozen=True)
class S3Blobs:
    """Objects ``<prefix><key>`` in ``bucket`` at ``endpoint``."""

    endpoint: str
    bucket: str
    region: str
    access_key: str
    secret_key: str
    prefix: str = "evidence/"
    timeout: float = 20.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> S3Blobs | None:
        """The store ``EVIDENCE_S3_*`` configure, or None when no bucket is set."""
        env = os.environ if env is None else env
        bucket = env.get(ENV + "BUCKET", "").strip()
        if not bucket:
            return None
        region = env.get(ENV + "REGION", "").strip() or "us-east-1"
        endpoint = env.get(ENV + "ENDPOINT", "").strip() or f"https://s3.{region}.amazonaws.com"
        return cls(
            endpoint=endpoint.rstrip("/"),
            bucket=bucket,
            region=region,
            access_key=env.get(ENV + "ACCESS_KEY", ""),
            secret_key=env.get(ENV + "SECRET_KEY", ""),
            prefix=env.get(ENV + "PREFIX", "evidence/"),
        )

    def _url(self, key: str) -> str:
        return f"{self.endpoint}/{self.bucket}/{self.prefix}{key}"

    def _call(self, method: str, key: str, body: bytes = b"", ok: tuple[int, ...] = (200,)) -> bytes:
        url = self._url(key)
        headers = sigv4_headers(
            method, url, body, region=self.region, access_key=self.access_key, secret_key=self.secret_key
        )
        request = urllib.request.Request(
            url, data=body if method == "PUT" else None, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - configured URL
                data: bytes = answer.read()
                return data
        except urllib.error.HTTPError as exc:
            if exc.code in ok:
                return b""
            raise BlobStoreError(f"object store answered HTTP {exc.code} to {method}") from None
        except (urllib.error.URLError, TimeoutError) as exc:
            raise BlobStoreError(f"object store unreachable ({exc.__class__.__name__})") from None

    def put(self, key: str, data: bytes) -> None:
        self._call("PUT", key, data)

    def get(self, key: str) -> bytes:
        return self._call("GET", key)

    def delete(self, key: str) -> None:
        self._call("DELETE", key, ok=(200, 204, 404))
