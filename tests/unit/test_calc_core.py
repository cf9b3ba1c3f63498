"""calc_core as a whole: every class name is defined once, so a name says which lesson's object it is."""

import ast
from collections import defaultdict
from pathlib import Path

CALC_CORE = Path(__file__).resolve().parents[2] / "calc_core"


def class_definitions() -> dict[str, list[str]]:
    """Class name -> the modules of calc_core that define it (nested classes included)."""
    found = defaultdict(list)
    for path in sorted(CALC_CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef):
                found[node.name].append(path.relative_to(CALC_CORE.parent).as_posix())
    return found


def test_the_scan_sees_the_classes_of_both_optimizer_families():
    found = class_definitions()
    assert found["MLP"] == ["calc_core/mlp/estimator.py"]
    assert len(found["Adam"]) == 1 and found["Adam"][0].startswith("calc_core/optimization/")
    assert found["AdamRule"] == ["calc_core/mlp/update_rules.py"]


def test_no_class_name_is_defined_twice():
    twice = {name: paths for name, paths in class_definitions().items() if len(paths) > 1}
    assert twice == {}


def test_the_published_imports_still_work():
    """../DESIGN.md's public API names these paths; the modules behind them moved into packages."""
    from calc_core.data.datasets import make_dataset as home
    from calc_core.datasets import DATASET_NAMES, make_dataset
    from calc_core.mlp import MLP
    from calc_core.mlp.estimator import MLP as estimator

    assert make_dataset is home and MLP is estimator
    assert DATASET_NAMES == ("circles", "moons", "xor", "gaussian", "spiral")
