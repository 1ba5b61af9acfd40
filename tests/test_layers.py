"""The import contract of the simulation's layers.

hardware (runs, memory, mmu) and the kernel (forkdocs.kernel, process, program, signals,
wait) never import the userland (the C library, call stacks, heaps, setjmp, child programs,
launch, BusyBox, posix_spawn) or the renderers at run time; the Machine facade, above both,
may. Imports made only for type checkers (under ``if TYPE_CHECKING:``) do not run and are
allowed. The contract is read from the source with ``ast``, so it holds without importing
anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "forkdocs"
BELOW = [
    *[f"{name}.py" for name in ("runs", "memory", "stats", "trace", "units", "errors")],
    *[str(path.relative_to(PACKAGE)) for path in sorted((PACKAGE / "mmu").glob("*.py"))],
    *[f"{name}.py" for name in ("signals", "wait", "program", "process", "guard")],
    *[str(path.relative_to(PACKAGE)) for path in sorted((PACKAGE / "kernel").glob("*.py"))],
]
USERLAND = {
    f"forkdocs.{name}"
    for name in (
        "libc",
        "callstack",
        "heap",
        "setjmp",
        "childprog",
        "launch",
        "libbb",
        "posix",
        "threads",
    )
} | {"forkdocs.render", "forkdocs.draw", "forkdocs.doctools"}


def run_time_imports(path: Path) -> set[str]:
    """The modules ``path`` imports when it runs (not those under ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text())
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_kernel_and_the_hardware_never_import_the_userland() -> None:
    broken = {
        name: sorted(
            imported & USERLAND | {m for m in imported if m.startswith("forkdocs.machine")}
        )
        for name in BELOW
        if (imported := run_time_imports(PACKAGE / name)) & USERLAND
        or any(m.startswith("forkdocs.machine") for m in imported)
    }
    assert {} == broken


def test_the_contract_sees_a_violation(tmp_path: Path) -> None:
    """The check itself: a run-time import of the C library counts, a typing one does not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nfrom forkdocs import libc\n"
        "if TYPE_CHECKING:\n    from forkdocs.callstack import Frame\n"
    )
    imported = run_time_imports(sample)
    assert "forkdocs.libc" in imported and "forkdocs.callstack" not in imported


def test_no_module_or_class_outgrows_one_concept() -> None:
    """A module of more than 450 lines, or a class of more than 300, holds more than one
    concept: split it by concept (as kernel/ending.py was split from kernel/lifecycle.py)."""
    big = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        where = path.relative_to(PACKAGE)
        if len(text.splitlines()) > 450:
            big.append(f"{where}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > 300:
                    big.append(f"{where}: class {node.name}, {size} lines")
    assert [] == big


def import_graph(typing_too: bool) -> dict[str, set[str]]:
    """Module -> the forkdocs modules it imports, lazy imports included (and those made
    only for type checkers when ``typing_too``)."""
    modules = {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(
            ".__init__"
        ): path
        for path in PACKAGE.rglob("*.py")
    }

    def home(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported = run_time_imports(path)
        if typing_too:
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    imported |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        graph[name] = {home(m) for m in imported if m.startswith("forkdocs")} - {name, ""}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected sets of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle_at_run_time_lazy_imports_included() -> None:
    assert [] == cycles(import_graph(typing_too=False))


def test_the_harness_has_no_import_circle_even_for_type_checkers() -> None:
    """The simulation still has one for type checkers (annotations naming the Machine from
    the kernel below it); the harness has none."""
    harness = [group for group in cycles(import_graph(typing_too=True)) if "doctools" in group[0]]
    assert [] == harness


def test_the_circle_check_sees_a_circle() -> None:
    assert [["a", "b"]] == cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
