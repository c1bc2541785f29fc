"""Password hashing for console accounts: scrypt with a random salt, parameters stored in the hash."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
_MAX_N = 2**20  # refuse absurd parameters in a stored hash rather than allocate gigabytes


def _maxmem(n: int, r: int, p: int) -> int:
    """Memory OpenSSL must be allowed for these parameters (its default limit is 32 MiB), plus slack."""
    return 128 * r * (n + p + 2) + 1024 * 1024


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=_maxmem(n, r, p)
    )


def hash_password(password: str, *, n: int | None = None, r: int | None = None, p: int | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` with a random 16-byte salt per password (today's parameters unless
    given)."""
    n, r, p = n or N, r or R, p or P
    salt = secrets.token_bytes(16)
    return f"scrypt${n}${r}${p}${salt.hex()}${_scrypt(password, salt, n, r, p).hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or not 1 < int(n) <= _MAX_N or not 0 < int(r) * int(p) <= 64:
            return False
        actual = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual.hex(), digest)


@functools.lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so a login costs the same either way."""
    return hash_password(secrets.token_hex(8))
