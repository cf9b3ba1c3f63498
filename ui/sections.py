"""A lesson's sections a teacher may hide, declared once beside its controls.

A view module declares each self-contained part of its page that a teacher may want gone (the step-by-step
rules that give a task's answer away, a sweep, an export, a reference comparison) as one :class:`Section`
(key and heading) in its ``SECTIONS`` table, and decorates the function that draws it with :func:`section`.
Everything else follows from the declaration:

- ``?teacher=1&hide=deriv_rules`` skips the section: its function is not called, so nothing of it is computed
  or drawn (``lock=`` does not apply to sections; a section has nothing to lock);
- the link builder lists it by its heading, and teacher mode knows its key (a typo is still listed as unknown);
- prose that points at it (:mod:`ui.prose`) is left out while it is hidden.

Keys share the page's prefix and namespace with its controls (``deriv_rules`` beside ``deriv_x0``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from ui.declarations import Declarations
from ui.teacher import teacher_settings


@dataclass(frozen=True)
class Section:
    """One part of a page a teacher may hide: ``key`` for ``hide=``, ``label`` as the learner reads its heading."""

    key: str
    label: str


class Sections(Declarations[Section]):
    """A lesson's sections by key, in page order; a key declared twice is an error."""

    kind = "section"


def shown(declared: Section) -> bool:
    """Whether the section is drawn on this view: not when teacher mode hides it."""
    return not teacher_settings().is_hidden(declared.key)


def section(declared: Section) -> Callable[[Callable], Callable]:
    """Decorate the function that computes and draws ``declared``: it runs unless teacher mode hides the section
    (then it returns None at no cost). Put it above ``@st.fragment``, so a hidden section's fragment never
    exists."""

    def wrap(render: Callable) -> Callable:
        @functools.wraps(render)
        def drawn(*args, **kwargs):
            return render(*args, **kwargs) if shown(declared) else None

        drawn.section = declared
        return drawn

    return wrap
