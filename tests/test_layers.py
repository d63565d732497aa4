"""The layers are a contract, checked: imports only go down (cli -> app -> screens -> steps
-> widgets -> export -> data) and the data layer imports nothing from Textual. The
contracts live in pyproject.toml ([tool.importlinter])."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "import-linter is part of the test extra"
    done = subprocess.run(
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


# What only data/ (and the tests' setup) may reach: the core and its generic writes.
GENERIC = {"add", "update", "delete", "transaction", "write", "conn", "log", "get_many"}


def _reaches_the_core(node: ast.AST) -> bool:
    if not isinstance(node, ast.Attribute):
        return False
    if node.attr == "db" and ast.unparse(node.value).endswith("store"):
        return True
    return (
        node.attr in GENERIC and isinstance(node.value, ast.Attribute) and node.value.attr == "db"
    )


def test_nothing_above_the_data_layer_reaches_the_core() -> None:
    """The interface edits through intent-named operations (store.raid.close_raid_item):
    the generic update, add and delete live on the core, which only data/ uses."""
    found = []
    for path in sorted((ROOT / "pmo_tui").rglob("*.py")):
        if "data" in path.relative_to(ROOT / "pmo_tui").parts[:1]:
            continue
        tree = ast.parse(path.read_text(), str(path))
        found += [
            f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}: {ast.unparse(node)}"
            for node in ast.walk(tree)
            if _reaches_the_core(node)
        ]
    assert found == []


def test_the_check_sees_a_generic_edit() -> None:
    edit = ast.parse("self.store.db.update(Project, 1, 1, name='x')").body[0]
    assert isinstance(edit, ast.Expr)
    assert any(_reaches_the_core(node) for node in ast.walk(edit))
    assert not any(
        _reaches_the_core(node)
        for node in ast.walk(ast.parse("self.store.raid.close_raid_item(1, 1, 'done')"))
    )
