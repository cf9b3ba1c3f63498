"""Classes, students and their answers, kept in a database (SQLite by default, PostgreSQL for a cluster).

This package never imports streamlit: the join form, the dashboard and the
recording of task answers live in ``ui/`` and call :class:`ClassStore`.

>>> from classroom import ClassStore, ClassroomError, MAX_STUDENTS_PER_CLASS

docs/CLASSROOM.md describes the data directory, the caps, retention and the schema.
"""

from __future__ import annotations

from classroom.config import DATA_DIR_ENV, DATABASE_URL_ENV, data_dir, database_url
from classroom.errors import (
    ClassClosed,
    ClassFull,
    ClassroomError,
    InvalidInput,
    StoreUnavailable,
    TooManyClasses,
    UnknownClass,
    UnknownStudent,
    WrongTeacherToken,
)
from classroom.limits import (
    CLASS_RETENTION,
    LEARNER_RETENTION,
    MAX_ANSWER_LENGTH,
    MAX_ATTEMPTS_KEPT,
    MAX_CLASS_NAME_LENGTH,
    MAX_CLASSES,
    MAX_NEW_CLASSES_PER_HOUR,
    MAX_NICKNAME_LENGTH,
    MAX_SHARED_VIEW_LENGTH,
    MAX_STUDENTS_PER_CLASS,
    MAX_WRONG_ANSWERS_LISTED,
    ClassroomLimits,
)
from classroom.results import (
    ClassReport,
    Enrolment,
    LessonProgress,
    LessonSummary,
    NewClass,
    PurgeResult,
    SharedView,
    Student,
    StudentSummary,
)
from classroom.store import ClassStore, new_learner

__all__ = [
    "CLASS_RETENTION",
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "LEARNER_RETENTION",
    "MAX_ANSWER_LENGTH",
    "MAX_ATTEMPTS_KEPT",
    "MAX_CLASSES",
    "MAX_CLASS_NAME_LENGTH",
    "MAX_NEW_CLASSES_PER_HOUR",
    "MAX_NICKNAME_LENGTH",
    "MAX_SHARED_VIEW_LENGTH",
    "MAX_STUDENTS_PER_CLASS",
    "MAX_WRONG_ANSWERS_LISTED",
    "ClassClosed",
    "ClassFull",
    "ClassReport",
    "ClassStore",
    "ClassroomError",
    "ClassroomLimits",
    "Enrolment",
    "InvalidInput",
    "LessonProgress",
    "LessonSummary",
    "NewClass",
    "PurgeResult",
    "SharedView",
    "StoreUnavailable",
    "Student",
    "StudentSummary",
    "TooManyClasses",
    "UnknownClass",
    "UnknownStudent",
    "WrongTeacherToken",
    "data_dir",
    "database_url",
    "new_learner",
]
