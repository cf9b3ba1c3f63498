"""Every lesson's view as a Jupyter notebook a learner runs on their own machine.

Each lesson has a module here (``calc_core/notebooks/<lesson>.py``) whose ``build(settings)`` returns
a notebook reproducing what the page shows for those settings (the function or data, the numbers and
the main charts) with numpy, sympy, scipy, matplotlib and scikit-learn alone: no cell imports this
repository. The first cell installs the exact versions of the packages the other cells import
(tagged ``install``, so tests can run the rest without it); then comes the lesson's point in markdown.

The notebook is text built here, never executed here. A learner's expression enters it only as the
canonical text our own parser produced (:func:`canonical`, sympy syntax), written as a Python string
literal with :func:`repr`; the notebook parses it with ``sympy.parse_expr`` on the learner's machine.

Numbers the tests compare with the page are printed as ``name = value`` lines (:func:`print_line`).

Examples
--------
>>> nb = notebook("Derivatives", "The slope.", [code("import numpy as np\\nprint('x =', np.pi)")])
>>> [cell.cell_type for cell in nb.cells]
['markdown', 'markdown', 'code', 'code']
>>> nb.cells[2].source.startswith("%pip install numpy==")
True
>>> to_bytes(nb)[:1]
b'{'
"""

from __future__ import annotations

import importlib
import re
import textwrap
from collections.abc import Iterable, Sequence
from importlib import metadata

import nbformat
import sympy
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

# The import name a notebook cell uses -> the distribution pip installs. Nothing else may be imported.
PACKAGES: dict[str, str] = {
    "numpy": "numpy",
    "sympy": "sympy",
    "scipy": "scipy",
    "matplotlib": "matplotlib",
    "sklearn": "scikit-learn",
}

# Standard-library modules a cell may import besides (nothing to install): the backpropagation notebook's script
# decodes its data (base64) and reads its settings (argparse, json, math); warnings quiets a deliberate stop.
STANDARD_MODULES = frozenset({"argparse", "base64", "json", "math", "warnings"})

INSTALL_TAG = "install"  # the tag of the first cell, the one that installs the pinned packages

# A lesson's url_path (ui/lessons.py) -> the module under calc_core.notebooks whose build(settings) makes its notebook.
NOTEBOOKS: dict[str, str] = {
    "derivatives": "calc_core.notebooks.derivatives",
    "integrals": "calc_core.notebooks.integrals",
    "gradient": "calc_core.notebooks.gradient",
    "jacobian": "calc_core.notebooks.jacobian",
    "backprop": "calc_core.notebooks.backprop",
    "optimization": "calc_core.notebooks.optimization",
    "svm": "calc_core.notebooks.svm",
}

_IMPORT = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)


def markdown(text: str) -> NotebookNode:
    """A markdown cell (``text`` dedented and stripped)."""
    return new_markdown_cell(textwrap.dedent(text).strip())


def code(source: str) -> NotebookNode:
    """A code cell (``source`` dedented and stripped)."""
    return new_code_cell(textwrap.dedent(source).strip())


def imported_packages(cells: Iterable[NotebookNode]) -> list[str]:
    """The top-level packages the code cells import, in :data:`PACKAGES` order.

    Raises ValueError for any other import (but :data:`STANDARD_MODULES`): a notebook depends on the pinned
    packages alone.
    """
    found: set[str] = set()
    for cell in cells:
        if cell.cell_type != "code":
            continue
        for name in _IMPORT.findall(cell.source):
            if name in STANDARD_MODULES:
                continue
            if name not in PACKAGES:
                raise ValueError(f"A notebook cell imports {name!r}, which is not one of {sorted(PACKAGES)}.")
            found.add(name)
    return [name for name in PACKAGES if name in found]


def install_line(packages: Sequence[str]) -> str:
    """``%pip install numpy==<installed version> ...`` for the given import names, versions read now."""
    pins = " ".join(f"{PACKAGES[name]}=={metadata.version(PACKAGES[name])}" for name in packages)
    return f"%pip install {pins}"


def notebook(title: str, point: str, cells: Sequence[NotebookNode]) -> NotebookNode:
    """The notebook: the title and the lesson's point, the install cell, then ``cells``; validated."""
    packages = imported_packages(cells)
    install = new_code_cell(install_line(packages), metadata={"tags": [INSTALL_TAG]})
    heading = markdown(f"# {title}\n\n{textwrap.dedent(point).strip()}")
    setup = markdown("Run the first cell once to install the exact package versions this notebook was made with "
                     "(restart the kernel if it updated any), then run the cells in order.")
    nb = new_notebook(cells=[heading, setup, install, *cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    return nb


def to_bytes(nb: NotebookNode) -> bytes:
    """The ``.ipynb`` file's bytes (nbformat v4 JSON), validated first."""
    nbformat.validate(nb)
    return nbformat.writes(nb, version=4).encode("utf-8")


def canonical(expr) -> str:
    """The canonical text of an expression our parser produced: sympy syntax, for ``parse_expr`` in the notebook.

    Only a parsed ``sympy`` expression is accepted, never text (what a learner typed is not canonical).
    """
    if not isinstance(expr, sympy.Basic):
        raise TypeError("A notebook takes a parsed sympy expression, not text.")
    return str(expr)


def number(value: float) -> str:
    """A float as Python source that reads back to the same value (``repr``; ``float('nan')`` and infinities too)."""
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return f"float({str(value)!r})"
    return repr(value)


def print_line(name: str, value_source: str) -> str:
    """Source that prints ``<name> = <value>`` with the value's full precision, the form the tests read."""
    return f"print({(name + ' =')!r}, repr(float({value_source})))"


def builder(url_path: str):
    """The module that builds the notebook of the lesson at ``url_path`` (imported when first asked for)."""
    return importlib.import_module(NOTEBOOKS[url_path])


def build(url_path: str, settings) -> NotebookNode:
    """The notebook of the lesson at ``url_path`` for the page's current ``settings``."""
    return builder(url_path).build(settings)


def printed_numbers(outputs_text: str) -> dict[str, float]:
    """The ``name = value`` lines a run notebook printed (see :func:`print_line`), as a dict.

    >>> printed_numbers("f'(x0) = 2.5\\nother text\\narea = -1.0")
    {"f'(x0)": 2.5, 'area': -1.0}
    """
    numbers: dict[str, float] = {}
    for line in outputs_text.splitlines():
        name, sep, value = line.rpartition(" = ")
        if not sep:
            continue
        try:
            numbers[name.strip()] = float(value.strip())
        except ValueError:
            continue
    return numbers
