"""Encryption of evidence files at rest: each file under its own Fernet key, the key stored (in the
database) wrapped by the data key of ``bot.privacy``. Deleting the row destroys the key, so a copy of
the blob left behind in a backup stays unreadable."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from bot import privacy


class UnreadableFile(RuntimeError):
    """The file's key cannot be unwrapped (data key changed) or the blob was altered."""


def seal(body: bytes) -> tuple[bytes, str]:
    """(ciphertext, wrapped key)."""
    key = Fernet.generate_key()
    wrapped = privacy.encrypt(key.decode("ascii"))
    assert wrapped is not None
    return Fernet(key).encrypt(body), wrapped


def seal_more(body: bytes, wrapped_key: str) -> bytes:
    """Another part of the same file (its thumbnail) under the file's key."""
    key = privacy.decrypt(wrapped_key)
    if not key:
        raise UnreadableFile("evidence key cannot be unwrapped")
    return Fernet(key.encode("ascii")).encrypt(body)


def unseal(ciphertext: bytes, wrapped_key: str) -> bytes:
    key = privacy.decrypt(wrapped_key)
    if not key:
        raise UnreadableFile("evidence key cannot be unwrapped")
    try:
        return Fernet(key.encode("ascii")).decrypt(ciphertext)
    except InvalidToken:
        raise UnreadableFile("evidence file altered or sealed under another key") from None
