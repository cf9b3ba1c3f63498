"""What the class store returns: frozen records with named fields.

Datetimes are timezone-aware UTC. Nicknames, class names and answers are
literal text as typed (cleaned by :mod:`classroom.text`); show them escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "ClassReport",
    "Enrolment",
    "LessonProgress",
    "LessonSummary",
    "NewClass",
    "PurgeResult",
    "SharedView",
    "Student",
    "StudentSummary",
]


@dataclass(frozen=True)
class NewClass:
    """A class just started; the only time its teacher token is known in clear.

    Attributes
    ----------
    code : str
        The join code students type (``JOIN_CODE_LENGTH`` capitals from ``CODE_ALPHABET``).
    teacher_token : str
        The teacher's secret (256 bits, URL-safe): whoever holds it is the teacher. Only its hash is stored.
    name : str
        The class's name as stored.
    created_at, expires_at : datetime
        When the class was started and when it and everything recorded in it will be deleted.
    """

    code: str
    teacher_token: str
    name: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Enrolment:
    """A new learner, in a class (:meth:`ClassStore.enrol`) or not (:meth:`ClassStore.start_learner`).

    Attributes
    ----------
    student_id : str
        The id the server uses to record answers; never put it in a link.
    token : str
        The browser's secret (256 bits): kept in the browser, it resumes this learner after a reload
        (:meth:`ClassStore.resume`). Only its hash is stored.
    resume_code : str
        A shorter secret to type on another device (``"KQWH-TZMA-PRXE"``); :meth:`ClassStore.resume` takes it too.
    nickname : str or None
        The nickname given to the learner in the class (an anonymous "Student 3" when none was typed, with a
        number added when another student has it already); None outside a class.
    class_code : str or None
        The class joined, None outside a class.
    """

    student_id: str
    token: str
    resume_code: str
    nickname: str | None
    class_code: str | None


@dataclass(frozen=True)
class SharedView:
    """The view a teacher sent to the class: a path inside the app, such as ``"/derivatives?deriv_f=x^2"``."""

    view: str
    shared_at: datetime


@dataclass(frozen=True)
class Student:
    """A learner as their browser sees them: who they are, their class, and what the teacher sent.

    Attributes
    ----------
    student_id : str
        As in :class:`Enrolment`.
    nickname : str or None
        None outside a class.
    class_code, class_name : str or None
        None outside a class.
    class_closed : bool
        True when the teacher closed the class (answers are no longer recorded).
    shared_view : SharedView or None
        The view the teacher sent to the class, if any.
    """

    student_id: str
    nickname: str | None
    class_code: str | None
    class_name: str | None
    class_closed: bool
    shared_view: SharedView | None


@dataclass(frozen=True)
class LessonProgress:
    """One learner's record on one lesson's task.

    Attributes
    ----------
    lesson : str
        The lesson's slug (its URL path).
    attempts : int
        Answers recorded (all of them, however many of the texts are kept).
    solved : bool
        True once any answer was correct.
    solved_first_try : bool
        True when the first answer was correct.
    """

    lesson: str
    attempts: int
    solved: bool
    solved_first_try: bool


@dataclass(frozen=True)
class StudentSummary:
    """One student on the teacher's dashboard.

    Attributes
    ----------
    student_id : str
        The student's id (for the teacher's actions, such as :meth:`ClassStore.remove_student`).
    nickname : str
        As shown (escaped) on the dashboard; the UI's anonymize switch replaces it on screen.
    joined_at, last_seen_at : datetime
        When the student joined and when they last joined, resumed or answered.
    attempted, solved : frozenset of str
        Slugs of the lessons whose task the student answered, and solved.
    """

    student_id: str
    nickname: str
    joined_at: datetime
    last_seen_at: datetime
    attempted: frozenset[str]
    solved: frozenset[str]


@dataclass(frozen=True)
class LessonSummary:
    """A class's results on one lesson's task.

    Attributes
    ----------
    lesson : str
        The lesson's slug.
    attempted : int
        Distinct students who answered the task.
    solved : int
        Distinct students with a correct answer.
    solved_first_try : int
        Distinct students whose first answer was correct.
    attempts : int
        Answers recorded in all.
    wrong_answers : list of (str, int)
        The most common wrong answers, ``(answer, students who gave it)``, most common first (ties in the
        answer's order); answers differing only in spaces are one, shown as most of them typed it. At most
        the report's ``wrong_answers`` limit; counted over the answers kept (``MAX_ATTEMPTS_KEPT`` per
        student and lesson).
    """

    lesson: str
    attempted: int = 0
    solved: int = 0
    solved_first_try: int = 0
    attempts: int = 0
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ClassReport:
    """The teacher's dashboard of one class, read in one consistent snapshot.

    Attributes
    ----------
    code, name : str
        The class's join code and name.
    created_at, expires_at : datetime
        When it was started and when it will be deleted.
    closed : bool
        True when the teacher closed it.
    shared_view : SharedView or None
        The view sent to the class, if any.
    students : tuple of StudentSummary
        The students who joined, in the order they joined.
    lessons : Mapping of str to LessonSummary
        Every lesson that has an answer, plus every lesson the caller asked for (with zeros).
    """

    code: str
    name: str
    created_at: datetime
    expires_at: datetime
    closed: bool
    shared_view: SharedView | None
    students: tuple[StudentSummary, ...]
    lessons: Mapping[str, LessonSummary]


@dataclass(frozen=True)
class PurgeResult:
    """What :meth:`ClassStore.purge_expired` deleted: expired classes (with their students) and idle learners."""

    classes: int
    learners: int
