"""core is the bottom layer: it imports no app and not the project package, and its modules do not
import one another in a circle (a lazy import inside a function counts: it only hides the circle)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
ABOVE_CORE = {"sgs_portal", "accounts", "schools", "metrics", "autonomy", "contracts", "accountability", "demo"}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _core_modules() -> dict[str, Path]:
    modules = {}
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def test_core_imports_nothing_above_it():
    upward = {
        name: sorted(imported for imported in _imports(path) if imported.split(".")[0] in ABOVE_CORE)
        for name, path in _core_modules().items()
    }
    assert {name: found for name, found in upward.items() if found} == {}


def test_core_modules_import_one_another_in_one_direction():
    modules = _core_modules()
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start] - seen:
            seen.add(nxt)
            if nxt == goal or reaches(nxt, goal, seen):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, set()))
    assert circles == []


def test_the_outbox_task_and_the_notifications_that_enqueue_it_are_not_a_circle():
    modules = _core_modules()
    assert "core.notifications" not in _imports(modules["core.tasks"])
    assert "core.tasks" not in _imports(modules["core.outbox"])
