"""The code's shape, checked: no import cycles among the project's modules, and the assistant side reaches
the billing service only over HTTP (it never imports billing_service)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "actions": ROOT / "actions",
    "assistant": ROOT / "assistant",
    "website": ROOT / "website",
    "billing_contract": ROOT / "packages" / "billing_contract" / "billing_contract",
    "billing_service": ROOT / "services" / "billing" / "billing_service",
}


def module_name(package: str, path: Path) -> str:
    parts = [package, *path.relative_to(PACKAGES[package]).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """First-party modules a module imports at its top level or inside functions."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in known)
    return found - {name}


def project_graph() -> dict[str, set[str]]:
    files = {
        module_name(package, path): path
        for package, folder in PACKAGES.items()
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts
    }
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_module_imports_itself_through_others():
    assert cycles(project_graph()) == []


def test_the_check_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_only_the_billing_service_imports_itself():
    graph = project_graph()
    reaching_in = {
        name: sorted(t for t in targets if t.startswith("billing_service"))
        for name, targets in graph.items()
        if not name.startswith("billing_service")
    }
    assert {name: targets for name, targets in reaching_in.items() if targets} == {}


def test_the_shared_contract_depends_on_nothing_of_ours():
    graph = project_graph()
    outward = {
        name: sorted(t for t in targets if not t.startswith("billing_contract"))
        for name, targets in graph.items()
        if name.startswith("billing_contract")
    }
    assert {name: targets for name, targets in outward.items() if targets} == {}
