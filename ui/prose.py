"""Lesson text that never points at a control or a section the teacher's link took away.

A sentence that tells the learner to use a control ("move x₀", "pick the “Task” example above") is declared
as a :class:`Points` part naming the control keys (and section keys) it refers to. A :class:`Prose` is a
paragraph of plain strings and such parts; :func:`say` gives its text for the current view:

- a pointing part is kept while every control it names is drawn and movable and every section it names is
  shown;
- otherwise it reads its ``otherwise`` text instead (empty by default: the sentence is left out).

``Prose`` is a ``str`` holding the whole paragraph (every part as written), so code that only wants the words
(a search, a dashboard) can keep treating it as text; pages draw ``say(prose)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ui.teacher import TeacherSettings, teacher_settings


@dataclass(frozen=True)
class Points:
    """A sentence pointing at controls (hidden or locked: it goes) and sections (hidden: it goes)."""

    text: str
    controls: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    otherwise: str = ""

    def __post_init__(self):
        if not self.controls and not self.sections:
            raise ValueError(f"{self.text!r} points at nothing")

    def keys(self) -> tuple[str, ...]:
        return (*self.controls, *self.sections)

    def usable(self, settings: TeacherSettings) -> bool:
        """Whether every control it names can be used and every section it names is shown."""
        return (not any(settings.is_hidden(k) or settings.is_locked(k) for k in self.controls)
                and not any(settings.is_hidden(k) for k in self.sections))

    def words(self, settings: TeacherSettings) -> str:
        return self.text if self.usable(settings) else self.otherwise


class Prose(str):
    """A paragraph of plain strings and :class:`Points`, joined by spaces; as a ``str``, every part as written."""

    parts: tuple[str | Points, ...]

    def __new__(cls, *parts: str | Points):
        whole = " ".join(p.text if isinstance(p, Points) else p for p in parts)
        prose = super().__new__(cls, whole)
        prose.parts = parts
        return prose

    def pointers(self) -> Iterator[Points]:
        return (p for p in self.parts if isinstance(p, Points))

    def words(self, settings: TeacherSettings | None = None) -> str:
        """The paragraph as this view shows it."""
        settings = teacher_settings() if settings is None else settings
        texts = (p.words(settings) if isinstance(p, Points) else p for p in self.parts)
        return " ".join(t for t in texts if t)


def say(text: str | Points) -> str:
    """What the learner reads of ``text`` on the current view: a :class:`Prose` or a single :class:`Points` as the
    teacher's link leaves it, a plain string as it is."""
    if isinstance(text, Points):
        return text.words(teacher_settings())
    return text.words() if isinstance(text, Prose) else text
