"""Checking what people type before it is stored: nicknames, class names, answers, lessons, shared views.

Everything is stored as literal text and must be shown as literal text
(escaped, never as markdown or HTML); these checks keep out what cannot be
shown at all (control characters, text direction overrides) and bound lengths.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlsplit

from classroom.errors import InvalidInput
from classroom.limits import (
    MAX_ANSWER_LENGTH,
    MAX_CLASS_NAME_LENGTH,
    MAX_LESSON_SLUG_LENGTH,
    MAX_NICKNAME_LENGTH,
    MAX_SHARED_VIEW_LENGTH,
)

__all__ = [
    "answer_key",
    "check_attempt_id",
    "check_lesson",
    "clean_answer",
    "clean_class_name",
    "clean_nickname",
    "clean_shared_view",
    "nickname_key",
]

#: Unicode categories never accepted in a name: control, surrogate, private-use, unassigned, line and
#: paragraph separators, and format characters (text direction overrides, invisible marks) ...
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Cf"})
#: ... except the zero-width joiner and the variation selector that compose emoji (👩‍🏫).
_ALLOWED_FORMAT = frozenset({"\u200d", "\ufe0f"})
_ATTEMPT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LESSON_SLUG = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{MAX_LESSON_SLUG_LENGTH - 1}}}")
#: Query keys that carry a secret or a class; a view sent to the class never contains them.
_SECRET_KEYS = frozenset({"teach", "join", "resume", "token", "student"})


def _unshowable(ch: str) -> bool:
    return unicodedata.category(ch) in _REFUSED_CATEGORIES and ch not in _ALLOWED_FORMAT


def _clean_name(text: object, what: str, max_length: int) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"The {what} must be text.")
    name = unicodedata.normalize("NFC", text)
    if any(_unshowable(ch) for ch in name):
        raise InvalidInput(
            f"The {what} contains a control or invisible character; please use letters, digits and signs."
        )
    name = " ".join(name.split())
    if len(name) > max_length:
        raise InvalidInput(f"The {what} is {len(name)} characters long; at most {max_length} are allowed.")
    return name


def clean_nickname(text: object) -> str:
    """A nickname as it is stored and shown; ``""`` when it is empty (the store then picks an anonymous name).

    Surrounding spaces are stripped and inner runs of spaces become one; control
    and invisible characters are refused, as is anything longer than
    ``MAX_NICKNAME_LENGTH`` characters.

    Raises
    ------
    InvalidInput
        With the reason, in words a learner understands.

    Examples
    --------
    >>> clean_nickname("  Ada   L. ")
    'Ada L.'
    """
    return _clean_name(text, "nickname", MAX_NICKNAME_LENGTH)


def clean_class_name(text: object) -> str:
    """A class's name as stored (same rules as a nickname, up to ``MAX_CLASS_NAME_LENGTH`` characters)."""
    return _clean_name(text, "class name", MAX_CLASS_NAME_LENGTH)


def nickname_key(nickname: str) -> str:
    """What makes two nicknames the same in one class: case, width and spacing do not count.

    Examples
    --------
    >>> nickname_key("ADA  l.") == nickname_key("ada L.")
    True
    """
    return " ".join(unicodedata.normalize("NFKC", nickname).casefold().split())


def clean_answer(text: object) -> str:
    """An answer as it is stored: control and invisible characters dropped, ends stripped, cut to the cap.

    An answer is never refused (the attempt counts whatever was typed); one
    longer than ``MAX_ANSWER_LENGTH`` characters is kept cut to that length.
    """
    if not isinstance(text, str):
        raise InvalidInput("The answer must be text.")
    kept = (
        " " if ch.isspace() else ch for ch in unicodedata.normalize("NFC", text) if ch.isspace() or not _unshowable(ch)
    )
    answer = "".join(kept)
    return answer.strip()[:MAX_ANSWER_LENGTH]


def answer_key(answer: str) -> str:
    """What makes two answers the same on the dashboard: they differ only in spaces.

    Examples
    --------
    >>> answer_key("3x^2 - 4x") == answer_key("3x^2-4x ")
    True
    """
    return "".join(answer.split())


def check_lesson(slug: object) -> str:
    """A lesson's slug (its URL path, ``"derivatives"``): lower-case letters, digits, ``-`` and ``_``."""
    if not isinstance(slug, str) or not _LESSON_SLUG.fullmatch(slug):
        raise InvalidInput(f"{str(slug)[:MAX_LESSON_SLUG_LENGTH]!r} is not the name of a lesson.")
    return slug


def check_attempt_id(attempt_id: object) -> str:
    """A caller's id for one checked answer: 1 to 64 letters, digits, ``-`` or ``_`` (a uuid4's hex fits)."""
    if not isinstance(attempt_id, str) or not _ATTEMPT_ID.fullmatch(attempt_id):
        raise InvalidInput("The attempt's id must be 1 to 64 letters, digits, '-' or '_'.")
    return attempt_id


def clean_shared_view(view: object) -> str:
    """A view a teacher sends to the class: the app's own path and query, such as ``"/derivatives?deriv_f=x^2"``.

    Only a path inside the app is accepted (no scheme, no host, no ``//``), with
    no spaces or control characters, at most ``MAX_SHARED_VIEW_LENGTH``
    characters, and none of the query keys that carry a class or a secret
    (``teach``, ``join``, ``resume``, ``token``, ``student``).
    """
    if not isinstance(view, str):
        raise InvalidInput("The view to send must be a link.")
    if len(view) > MAX_SHARED_VIEW_LENGTH:
        raise InvalidInput(
            f"The view's link is {len(view)} characters long; at most {MAX_SHARED_VIEW_LENGTH} can be sent."
        )
    if not view.startswith("/") or view.startswith("//") or "\\" in view:
        raise InvalidInput("Only a page of this app can be sent to the class.")
    if any(ch.isspace() or _unshowable(ch) for ch in view):
        raise InvalidInput("The view's link contains spaces or control characters.")
    parts = urlsplit(view)
    if parts.scheme or parts.netloc:
        raise InvalidInput("Only a page of this app can be sent to the class.")
    if any(key.lower() in _SECRET_KEYS for key, _ in parse_qsl(parts.query, keep_blank_values=True)):
        raise InvalidInput("A view sent to the class cannot carry a join code, a teacher link or a student's token.")
    return view
