"""Join codes, secrets and their hashes.

Every code and token comes from :mod:`secrets` (the operating system's CSPRNG),
so none can be guessed from another. The database keeps only the SHA-256 of a
secret and looks it up by that hash, as JupyterHub does with its API tokens: a
copy of the database does not let anyone act as a teacher or a student.
"""

from __future__ import annotations

import hashlib
import secrets

__all__ = [
    "CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "RESUME_CODE_LENGTH",
    "hash_secret",
    "new_join_code",
    "new_resume_code",
    "new_student_id",
    "new_token",
    "normalize_code",
]

#: Letters a person can read off a projector and type without confusing them: no I, L or O (1, 0), no digits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"
#: Letters of a class's join code: 23^6, about 1.5e8 codes.
JOIN_CODE_LENGTH = 6
#: Letters of a student's resume code: 23^12, about 2^54, typed once on another device.
RESUME_CODE_LENGTH = 12
#: Random bytes of a teacher's or a browser's token (256 bits).
TOKEN_BYTES = 32


def new_join_code() -> str:
    """A random join code such as ``"KQWHTZ"``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_resume_code() -> str:
    """A random resume code, shown in groups of four: ``"KQWH-TZMA-PRXE"``."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(RESUME_CODE_LENGTH))
    return "-".join(letters[i : i + 4] for i in range(0, RESUME_CODE_LENGTH, 4))


def new_token() -> str:
    """A URL-safe secret of 256 bits (a teacher link's token, a browser's student token)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_student_id() -> str:
    """A random student id (not a secret: it never leaves the server, and alone it grants nothing to a browser)."""
    return secrets.token_hex(8)


def normalize_code(text: str) -> str:
    """A typed join or resume code as stored: capitals, without spaces or dashes.

    Examples
    --------
    >>> normalize_code(" kqw-htz ")
    'KQWHTZ'
    """
    return "".join(ch for ch in str(text).upper() if ch not in " -\t")


def hash_secret(secret: str) -> str:
    """The SHA-256 of a secret, in hex: what the database keeps and looks up.

    A plain, unsalted hash is enough here: every secret has at least 54 random
    bits, so the hash cannot be reversed by trying candidates.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
