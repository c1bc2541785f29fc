"""Password hashing for console accounts: scrypt with a random salt, parameters stored in the hash.

The cost is N=2**17, r=8, p=1 (128 MiB of memory per hash), the level OWASP recommends for scrypt, so
a stolen table of hashes is expensive to attack. The parameters are part of each stored hash
(``scrypt$n$r$p$salt$hash``), so hashes made with weaker settings keep working and ``needs_rehash``
tells the login to store a stronger one once the password is known again.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

N, R, P = 2**17, 8, 1
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


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with other parameters than today's (checked after a good login)."""
    try:
        scheme, n, r, p, _salt, _digest = stored.split("$")
        return scheme != "scrypt" or (int(n), int(r), int(p)) != (N, R, P)
    except ValueError:
        return True


@functools.lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so a login costs the same either way."""
    return hash_password(secrets.token_hex(8))
