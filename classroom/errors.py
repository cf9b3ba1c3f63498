"""What the class store refuses, in words a learner or a teacher understands.

Every error the store raises is a :class:`ClassroomError` (a ``ValueError``);
its message can be shown as it is, as literal text. Subclasses let the UI tell
the cases apart: a full class, an unknown code, a database that does not answer
(recording pauses and retries) and so on.
"""

from __future__ import annotations

__all__ = [
    "ClassClosed",
    "ClassFull",
    "ClassroomError",
    "InvalidInput",
    "StoreUnavailable",
    "TooManyClasses",
    "UnknownClass",
    "UnknownStudent",
    "WrongTeacherToken",
]


class ClassroomError(ValueError):
    """Anything the class store refuses or cannot do; the message is meant for the person who asked."""


class InvalidInput(ClassroomError):
    """A nickname, class name, answer, lesson or shared view that cannot be used as given."""


class UnknownClass(ClassroomError):
    """No open class has this join code (never existed, deleted or expired)."""


class ClassFull(ClassroomError):
    """The class already has as many students as it admits."""


class ClassClosed(ClassroomError):
    """The teacher closed the class: no one joins and no answer is recorded any more."""


class TooManyClasses(ClassroomError):
    """The server holds as many classes as it admits, or too many were started within the hour."""


class WrongTeacherToken(ClassroomError):
    """The teacher link is wrong, or its class was deleted or has expired; nothing of any class is shown."""


class UnknownStudent(ClassroomError):
    """This student or resume code is not known (never existed, or the class was deleted or has expired)."""


class StoreUnavailable(ClassroomError):
    """The database did not answer (down, restarting, or busy for longer than the wait allowed).

    Nothing was changed; the same call may be tried again later.
    """
