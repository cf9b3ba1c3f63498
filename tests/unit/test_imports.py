"""ui.imports: every module it names exists, and the libraries the pages import are all among them."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from ui.imports import APP_MODULES, LIBRARIES

ROOT = Path(__file__).resolve().parents[2]
# Imported by the pages but light and free of import cycles (or only by a notebook's text).
NOT_PRELOADED = {"matplotlib.pyplot", "scipy", "sklearn.exceptions", "sklearn"}


def test_every_named_module_exists():
    for name in (*LIBRARIES, *APP_MODULES):
        assert importlib.util.find_spec(name) is not None, name


def test_the_third_party_packages_the_app_imports_are_preloaded():
    preloaded_roots = {name.split(".")[0] for name in LIBRARIES}
    for folder in ("ui", "calc_core", "classroom", "lessons"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    root = name.split(".")[0]
                    if root in {"numpy", "pandas", "altair", "sympy", "scipy", "sklearn", "matplotlib", "nbformat",
                                "segno", "sqlalchemy", "alembic"} and name not in NOT_PRELOADED:
                        assert root in preloaded_roots, (path, name)
