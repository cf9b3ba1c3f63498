"""The training panel's latest view, for the sections below it, and when a panel change must redraw them.

The page draws the training panel (a fragment: a training setting reruns it alone) and then the sections
below it, several of them fragments of their own. They all act on the same :class:`BackpropView`, which
only the panel builds. :class:`CurrentView` is the holder they share: the page creates one per whole-page
run and passes it to every section; the panel stores each view it builds in :attr:`CurrentView.view`, and
a section reads that attribute when it draws or acts (a pin, a sweep, a download), so it acts on the
current settings even when the panel reran alone since.

A panel rerun does not redraw the sections below, so what they *display* from the settings must not
change behind their backs. Each section records what it displays with :meth:`CurrentView.shows` (a
function of the view, and its value); after building a new view, the panel asks :meth:`CurrentView.outdated`
and, when any recorded value would now be different (the sweep's cost, the reference's epochs, whether a
stored result still belongs to the settings), runs the whole page instead. Changes that alter nothing shown
below (most moves of the learning rate or L2 slider) keep the cheap fragment rerun.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.views.backprop.state import BackpropView


class CurrentView:
    """The latest :class:`BackpropView` of the training panel, and what the sections below display of it."""

    def __init__(self) -> None:
        self.view: BackpropView | None = None
        self._shown: dict[str, tuple[Callable[[BackpropView], object], object]] = {}

    def shows(self, name: str, derive: Callable[[BackpropView], object]):
        """``derive(view)``, recorded under ``name`` as what a section displays; returns it."""
        value = derive(self.view)
        self._shown[name] = (derive, value)
        return value

    def outdated(self) -> bool:
        """Whether a section would now display something else than it did."""
        return any(derive(self.view) != value for derive, value in self._shown.values())
