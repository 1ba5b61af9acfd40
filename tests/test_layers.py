"""The import contract of the layers, read from the folders.

The simulation's folders are its layers, from the bottom up: ``common``, ``hardware``,
``kernel``, the ``machine`` module, ``userland``, ``draw``. A module may import from its own
layer and the layers below, never from one above; that holds for every import, top-level,
lazy (inside a function) or only for type checkers (under ``if TYPE_CHECKING:``). The package
``forkdocs`` itself is the facade over all of them and nothing imports it. The harness,
``forkdocs.doctools``, imports nothing of the simulation, and its folders are its stages
(``grammar``, ``run``, ``check``, ``integrations``, above its ``errors``), under the same rule. And no set of modules imports
itself in a circle. The contract is read from the source with ``ast``, importing nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "forkdocs"
#: The simulation's layers from the bottom up; each is the folder (or, for the machine, the
#: module) of that name. The package docstring lists them in the same order (a test checks).
LAYERS = ("common", "hardware", "kernel", "machine", "userland", "draw")
#: The harness's stages, in the order a page goes through them; ``errors`` (with the
#: package's ``__init__``) is below them all.
HARNESS = "doctools"
STAGES = ("errors", "grammar", "run", "check", "integrations")


def module_name(path: Path) -> str:
    """``forkdocs/kernel/wait.py`` -> ``forkdocs.kernel.wait`` (a package: its folder)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every forkdocs module ``path`` imports, in any way: each name a ``from`` import takes
    is resolved to the module it comes from (a submodule, or the package holding it)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found.add(home(f"{node.module}.{alias.name}"))
        elif isinstance(node, ast.Import):
            found.update(home(alias.name) for alias in node.names)
    return {name for name in found if name.startswith("forkdocs")}


def home(name: str) -> str:
    """The module ``name`` is, or the one that defines it."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def layer_of(module: str) -> str:
    """The layer a module belongs to, from its folder: a simulation layer, ``doctools.STAGE``
    for the harness, or ``forkdocs`` for the package itself."""
    parts = module.split(".")
    if len(parts) == 1:
        return "forkdocs"
    if parts[1] != HARNESS:
        return parts[1]
    return f"{HARNESS}.{parts[2] if len(parts) > 2 else STAGES[0]}"


def rank(layer: str) -> tuple[str, int]:
    """Which side a layer is on (the simulation or the harness) and how high it sits."""
    if layer.startswith(HARNESS):
        return HARNESS, STAGES.index(layer.partition(".")[2])
    return "simulation", LAYERS.index(layer)


GRAPH = {name: imports(path) - {name} for name, path in MODULES.items()}


def test_every_module_is_in_a_layer_folder() -> None:
    """Nothing sits beside the layers at the top of the package, or beside the stages in the
    harness: a newcomer finds a module by its layer."""
    known = {*LAYERS, *(f"{HARNESS}.{stage}" for stage in STAGES), "forkdocs"}
    stray = [name for name in MODULES if layer_of(name) not in known]
    assert [] == stray
    assert known == {layer_of(name) for name in MODULES}


def test_the_docstrings_name_the_layers_in_order() -> None:
    """What a newcomer reads first (the package's and the harness's docstrings) lists the
    layers and the stages in the order this test enforces."""
    import forkdocs.doctools

    for package, names in ((forkdocs, LAYERS), (forkdocs.doctools, STAGES[1:])):
        named = re.findall(r"\[`(\w+)`\]\[forkdocs[\w.]*\]", package.__doc__ or "")
        assert list(names) == [name for name in named if name in names]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """``a -> b`` for each import of ``b`` from above ``a``'s layer, or from the other side
    (the harness and the simulation import nothing of each other); the package itself, the
    facade over the simulation, may import any of it, and nothing may import it."""
    broken = []
    for module, imported in sorted(graph.items()):
        mine = layer_of(module)
        for other in sorted(imported):
            theirs = layer_of(other)
            if mine == "forkdocs" and not theirs.startswith(HARNESS):
                continue
            if theirs == "forkdocs" or mine == "forkdocs":
                broken.append(f"{module} -> {other}")
                continue
            (side, height), (their_side, their_height) = rank(mine), rank(theirs)
            if side != their_side or their_height > height:
                broken.append(f"{module} -> {other}")
    return broken


def test_no_import_runs_up_a_layer() -> None:
    assert [] == upward_imports(GRAPH)


def test_the_contract_sees_an_upward_import() -> None:
    """The check itself: a kernel module naming the machine, even only for type checkers,
    breaks it; so do the harness reaching the simulation and a stage reaching a later one."""
    assert ["forkdocs.kernel.process -> forkdocs.machine"] == upward_imports(
        {"forkdocs.kernel.process": {"forkdocs.machine", "forkdocs.common.errors"}}
    )
    assert ["forkdocs.doctools.run.cevaluator -> forkdocs.kernel.signals"] == upward_imports(
        {"forkdocs.doctools.run.cevaluator": {"forkdocs.kernel.signals"}}
    )


def test_typing_and_lazy_imports_count(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from forkdocs.machine import Machine\n"
        "def f():\n    from forkdocs.userland import libc\n"
    )
    assert {"forkdocs.machine", "forkdocs.userland.libc"} == imports(sample)


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


def test_no_import_circle_of_any_kind() -> None:
    """Lazy and type-checking imports included, the simulation and the harness alike."""
    assert [] == cycles(GRAPH)


def test_the_circle_check_sees_a_circle() -> None:
    assert [["a", "b"]] == cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})


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
