"""Every cap and retention period of the class store, in one place.

A public link lets anyone start a class, join one or send answers, so every
table a visitor can grow is bounded here; :class:`classroom.ClassStore` reads
these values (a deployment may pass other :class:`ClassroomLimits`), and
tests/classroom exercises each cap at its limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# --- Classes ---------------------------------------------------------------------------------------------------------

#: Students one class admits; the next join is refused with "This class is full".
MAX_STUDENTS_PER_CLASS = 200
#: Classes that exist at once (open, closed or not yet purged) on one database.
MAX_CLASSES = 2_000
#: Classes started in any one hour, so that a script cannot fill the database in a burst.
MAX_NEW_CLASSES_PER_HOUR = 120
#: Characters of a class's name ("Period 3").
MAX_CLASS_NAME_LENGTH = 60
#: A class and everything recorded in it is deleted this long after it was started.
CLASS_RETENTION = timedelta(days=30)

# --- Students and answers --------------------------------------------------------------------------------------------

#: Characters of a nickname, after surrounding spaces are stripped and inner runs of spaces become one.
MAX_NICKNAME_LENGTH = 24
#: Characters of an answer kept as typed; a longer answer is recorded (it counts) cut to this length.
MAX_ANSWER_LENGTH = 500
#: Answers kept per student and lesson (the latest ones); the counts of attempts and solutions stay exact.
MAX_ATTEMPTS_KEPT = 20
#: Characters of a lesson's slug (its URL path: "derivatives").
MAX_LESSON_SLUG_LENGTH = 40
#: A learner outside any class is forgotten this long after their last recorded answer or visit.
LEARNER_RETENTION = timedelta(days=180)

# --- The teacher's dashboard -----------------------------------------------------------------------------------------

#: Characters of the view a teacher sends to the class (a lesson's path and query: "/derivatives?deriv_f=x^2").
MAX_SHARED_VIEW_LENGTH = 2_000
#: Different wrong answers a report lists per lesson (most common first).
MAX_WRONG_ANSWERS_LISTED = 10


@dataclass(frozen=True)
class ClassroomLimits:
    """The caps and retention periods one :class:`classroom.ClassStore` applies.

    The defaults are the module constants above; a deployment (or a test that
    needs a small class) passes its own values.

    Attributes
    ----------
    students_per_class : int
        Students one class admits.
    classes : int
        Classes that exist at once.
    new_classes_per_hour : int
        Classes started within any one hour.
    class_retention : datetime.timedelta
        How long a class and its data live after it was started.
    learner_retention : datetime.timedelta
        How long a learner outside any class is kept after their last activity.
    attempts_kept : int
        Answers kept per student and lesson.
    """

    students_per_class: int = MAX_STUDENTS_PER_CLASS
    classes: int = MAX_CLASSES
    new_classes_per_hour: int = MAX_NEW_CLASSES_PER_HOUR
    class_retention: timedelta = CLASS_RETENTION
    learner_retention: timedelta = LEARNER_RETENTION
    attempts_kept: int = MAX_ATTEMPTS_KEPT

    def __post_init__(self) -> None:
        for name in ("students_per_class", "classes", "new_classes_per_hour", "attempts_kept"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("class_retention", "learner_retention"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"{name} must be a positive time, not {getattr(self, name)}")
