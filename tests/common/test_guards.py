"""Every public entry point of the simulation checks its arguments at the boundary: fed
wrong types, it raises a forkdocs error and leaves the machine exactly as it was. The entry
points are found by introspection, not listed by hand."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import forkdocs
from forkdocs import ForkdocsError, InvalidArgument, Machine, Process, Program
from forkdocs.common.errors import WrongType
from forkdocs.draw.svg import Drawing
from forkdocs.kernel.process import Thread
from forkdocs.userland import callstack
from forkdocs.userland.callstack import StackFrame
from forkdocs.userland.heap import Heap
from forkdocs.userland.posix import FileActions, SpawnAttr
from forkdocs.userland.setjmp import SetjmpVfork
from forkdocs.userland.threads import Mutex

from ..helpers import machine_digest


def public_modules() -> Iterator[Any]:
    """forkdocs and its submodules, the docs harness excepted."""
    yield forkdocs
    for info in pkgutil.walk_packages(forkdocs.__path__, "forkdocs."):
        if not info.name.startswith("forkdocs.doctools"):
            yield importlib.import_module(info.name)


def entry_points() -> list[tuple[str, Any]]:
    """(name, callable) for every public function, class (its constructor) and public method
    defined in forkdocs."""
    found: dict[str, Any] = {}
    for module in public_modules():
        if module.__name__ == "forkdocs.common.guard":
            continue  # the decorators that do the checking, not part of the model
        for name, member in vars(module).items():
            if name.startswith("_") or getattr(member, "__module__", "") != module.__name__:
                continue
            if inspect.isfunction(member):
                found[f"{module.__name__}.{name}"] = member
            elif (
                inspect.isclass(member)
                and not issubclass(member, BaseException)
                and not getattr(member, "_is_protocol", False)  # an interface, not code
            ):
                if "__init__" in vars(member):
                    found[f"{module.__name__}.{name}"] = member
                for method_name, method in vars(member).items():
                    if inspect.isfunction(method) and not method_name.startswith("_"):
                        found[f"{module.__name__}.{name}.{method_name}"] = method
    return sorted(found.items())


class Scene:
    """A machine with a running shell, and one instance of each class whose methods are
    entry points."""

    def __init__(self) -> None:
        self.m = Machine(mmu="paging", ram="8 MiB")
        self.shell = self.m.start("/bin/sh", image="256 KiB")
        helper = self.m.start("/bin/helper", image="256 KiB")
        self.instances: dict[type, object] = {
            **{layer: self.m for layer in Machine.__mro__ if layer is not object},
            Process: self.shell,
            Heap: Heap(self.shell.heap, 4096),
            SetjmpVfork: SetjmpVfork(self.m, helper),
            StackFrame: callstack.call(self.shell, "main", locals=("x",)),
            Program: self.m.programs["/bin/sh"],
            type(self.m.trace): self.m.trace,
            type(self.m.symbols): self.m.symbols,
            type(self.m.stats): self.m.stats,
            type(self.m.memory): self.m.memory,
            Drawing: Drawing(100, 100, "a figure", "what it shows"),
            FileActions: FileActions(),
            SpawnAttr: SpawnAttr(),
            Thread: self.m.thread_create(self.shell),
            Mutex: Mutex(self.shell.heap),
        }


def call_with(entry: Callable[..., Any], scene: Scene, wrong: Callable[[], object]) -> object:
    """Call ``entry`` with ``wrong()`` for every parameter but ``self`` (a class: construct
    it; a method: on the scene's instance of its class)."""
    target = entry.__init__ if inspect.isclass(entry) else entry  # type: ignore[misc]
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for parameter in inspect.signature(target).parameters.values():
        if parameter.name == "self":
            if inspect.isclass(entry):
                continue
            owner = entry.__qualname__.rsplit(".", 1)[0]
            instance = next(
                (obj for cls, obj in scene.instances.items() if cls.__qualname__ == owner), None
            )
            if instance is None:
                pytest.skip(f"no instance of {owner} in the scene")
            args.append(instance)
        elif parameter.kind is parameter.VAR_KEYWORD:
            continue
        elif parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = wrong()
        else:
            args.append(wrong())
    return entry(*args, **kwargs)


ENTRY_POINTS = entry_points()
#: Entry points that take no argument a caller could get wrong (only ``self``, or only
#: ``**keywords``, which any value fits).
NO_ARGUMENTS = [
    name
    for name, entry in ENTRY_POINTS
    if all(
        p.name == "self" or p.kind is p.VAR_KEYWORD
        for p in inspect.signature(
            entry.__init__ if inspect.isclass(entry) else entry
        ).parameters.values()
    )
]
WITH_ARGUMENTS = [(n, e) for n, e in ENTRY_POINTS if n not in NO_ARGUMENTS]
#: Internal state a page never calls directly (the hardware layer under the kernel).
INTERNAL = (
    "forkdocs.hardware.mmu.",
    "forkdocs.hardware.memory.",
    "forkdocs.hardware.runs.",
    "forkdocs.common.stats.",
    "forkdocs.common.trace.Event",
)


def test_entry_points_are_found() -> None:
    names = {name for name, _ in ENTRY_POINTS}
    assert {
        "forkdocs.kernel.lifecycle.Lifecycle.fork",
        "forkdocs.userland.libc.printf",
        "forkdocs.userland.libbb.spawn",
        "forkdocs.kernel.process.Process.write",
    } <= names
    assert len(WITH_ARGUMENTS) > 60, len(WITH_ARGUMENTS)


@pytest.mark.parametrize(
    ("name", "entry"),
    [(n, e) for n, e in WITH_ARGUMENTS if not n.startswith(INTERNAL)],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_wrong_types_are_refused_and_change_nothing(name: str, entry: Callable[..., Any]) -> None:
    """Every public entry point, given an object of no expected type for each argument,
    raises a forkdocs error and leaves the machine as it was."""
    scene = Scene()
    before = machine_digest(scene.m)
    with pytest.raises(ForkdocsError):
        call_with(entry, scene, object)
    assert before == machine_digest(scene.m), name


#: Values of the wrong type for most parameters, and values of the right type that are out
#: of range for many (negative sizes, lengths and signal numbers, an empty path).
ODD_VALUES = st.sampled_from([None, 1.5, b"x", "x", True, [], {}, -1, 0, 2**70, "", "/"])


@settings(max_examples=int(os.environ.get("FORKDOCS_GUARD_EXAMPLES", "400")), deadline=None)
@given(
    index=st.integers(0, len(WITH_ARGUMENTS) - 1),
    values=st.lists(ODD_VALUES, min_size=8, max_size=8),
)
def test_odd_values_end_in_a_forkdocs_error_or_a_result(index: int, values: list[object]) -> None:
    """Whatever odd mix of values an entry point gets, it either works or raises a forkdocs
    error (never a bare Python error from deep inside), and an argument error changes
    nothing."""
    name, entry = WITH_ARGUMENTS[index]
    if name.startswith(INTERNAL):
        return
    scene = Scene()
    before = machine_digest(scene.m)
    pool = iter(values * 4)
    try:
        call_with(entry, scene, lambda: next(pool))
    except (InvalidArgument, WrongType):
        assert before == machine_digest(scene.m), name
    except ForkdocsError:
        pass  # the kernel's own refusals and faults (ENOMEM, SIGSEGV...) may change state


def test_a_wrong_argument_is_named_before_anything_else_is_imported() -> None:
    """In a fresh interpreter, with forkdocs.Machine never touched, a userland function given
    a wrong machine raises WrongType naming itself (the guard resolved "Machine", which the
    module imports only for type checkers, by name)."""
    code = (
        "from forkdocs.userland import libc\n"
        "try:\n    libc.exit('x', None, 0)\n"
        "except Exception as error:\n    print(type(error).__name__, error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "WrongType EINVAL: exit: machine must be Machine, not str 'x'" == done.stdout.strip()


def test_the_guard_imports_nothing_of_the_simulation_but_its_errors() -> None:
    tree = ast.parse((Path(forkdocs.__file__).parent / "common" / "guard.py").read_text())
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("forkdocs")
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("forkdocs")
    }
    assert {"forkdocs.common.errors"} == imported
