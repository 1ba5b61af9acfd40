"""Argument checks at the boundary: every public function and method of the simulation
checks the types of its arguments against its annotations, once, before it changes anything.

[`checked()`][forkdocs.common.guard.checked] wraps a function; [`checked_class()`][forkdocs.common.guard.checked_class] wraps every public method of a class;
[`checked_module()`][forkdocs.common.guard.checked_module] every public function defined in a module. A wrong type raises
[`WrongType`][forkdocs.common.errors.WrongType] (a forkdocs error that is also a TypeError and a
ValueError) naming the function, the parameter, what was expected and what came. Value
ranges (a negative length, an unknown signal) are checked by the functions themselves.

Understood annotations: classes (``int`` refuses ``bool``), ``None``, unions, ``Literal``,
``list[X]``, ``tuple[X, ...]``, ``dict[K, V]``, ``Iterable``/``Sequence``/``Mapping``,
``Callable``; anything else is not checked.

String annotations are resolved against the function's own module. A class named there only
for type checkers (``if TYPE_CHECKING: from forkdocs.machine import Machine``) is checked by
name: the value's class, or one of its bases, must have that name. So this module imports
nothing of the simulation: the kernel makes itself known with
[`register_kernel()`][forkdocs.common.guard.register_kernel] for the ownership check.
"""

from __future__ import annotations

import builtins
import collections.abc
import functools
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from forkdocs.common.errors import WrongType

F = TypeVar("F", bound=Callable[..., Any])
Check = Callable[[object], bool]


class _Unresolved(dict[str, Any]):
    """The names an annotation may use: the module's (given), the builtins, and for any
    other name a stand-in class of that name (see `_named`)."""

    def __missing__(self, name: str) -> object:
        if hasattr(builtins, name):
            return getattr(builtins, name)
        if name.startswith("_"):
            raise KeyError(name)
        return _named(name)


@functools.cache
def _named(name: str) -> type:
    """A stand-in for a class that ``name`` names but that is not imported where the
    annotation is written; `_checker` compares class names for it."""
    return type(name, (), {"__forkdocs_named__": name})


def _checker(annotation: object) -> Check | None:
    """A predicate for values of ``annotation``, or None when it cannot be checked."""
    if annotation is Any or annotation is object:
        return None
    named = getattr(annotation, "__forkdocs_named__", None)
    if isinstance(named, str):
        return lambda value: any(c.__name__ == named for c in type(value).__mro__)
    if annotation is None or annotation is type(None):
        return lambda value: value is None
    if annotation is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        allowed = frozenset(args)
        return lambda value: isinstance(value, str | int) and value in allowed
    if origin in (typing.Union, types.UnionType):
        parts = [_checker(arg) for arg in args]
        if any(part is None for part in parts):
            return None
        checks = [part for part in parts if part is not None]
        return lambda value: any(check(value) for check in checks)
    if origin is collections.abc.Callable:
        return callable
    if origin is tuple and args and args[-1] is not Ellipsis:
        fixed = [_checker(arg) for arg in args]
        return lambda value: (
            isinstance(value, tuple)
            and len(value) == len(fixed)
            and all(check is None or check(v) for check, v in zip(fixed, value, strict=True))
        )
    if origin in (list, tuple, dict, set, frozenset):
        container = origin
        inner = _checker(args[0]) if args else None
        if inner is None:
            return lambda value: isinstance(value, container)
        element = inner  # for dict: the keys
        return lambda value: isinstance(value, container) and all(element(v) for v in value)
    if origin in (collections.abc.Generator, collections.abc.Iterator):
        return lambda value: isinstance(value, origin)
    if origin in (collections.abc.Iterable, collections.abc.Sequence):
        return lambda value: isinstance(value, origin) and not isinstance(value, str | bytes)
    if origin is collections.abc.Mapping:
        return lambda value: isinstance(value, collections.abc.Mapping)
    if isinstance(annotation, type):
        return lambda value: isinstance(value, annotation)
    return None


def _describe(annotation: object) -> str:
    """How an error message names what ``annotation`` accepts."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(arg) for arg in args)
    if origin in (list, tuple, set, frozenset, dict) and args:
        return f"a {origin.__name__} of {_describe(args[0])}"
    if annotation is None or annotation is type(None):
        return "None"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "").replace("collections.abc.", "")


def _plan(func: Callable[..., Any]) -> list[tuple[str, Check, str]]:
    """(parameter, predicate, expected) for each checkable parameter of ``func``. Each
    annotation is resolved on its own, in the function's module; a name imported there only
    for type checkers is checked by class name, and an annotation that still cannot be
    resolved is left unchecked."""
    namespace = getattr(func, "__globals__", {})
    names = _Unresolved(namespace)
    plan = []
    for name, parameter in inspect.signature(func).parameters.items():
        annotation = func.__annotations__.get(name)
        if name in ("self", "cls") or annotation is None:
            continue
        if parameter.kind is parameter.VAR_KEYWORD:
            continue
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, namespace, names)
            except Exception:
                continue
        check = _checker(annotation)
        if check is not None:
            if parameter.kind is parameter.VAR_POSITIONAL:
                one = check
                check = lambda values, one=one: all(one(v) for v in values)  # noqa: E731
                name = "*" + name
            plan.append((name, check, _describe(annotation)))
    return plan


def checked(func: F) -> F:
    """``func``, checking its arguments' types against its annotations on each call."""
    signature = inspect.signature(func)
    parameters = list(signature.parameters.values())
    positional = [
        p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    flexible = any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)
    names = {p.name for p in parameters}
    required = {
        p.name
        for p in parameters
        if p.default is p.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }
    where = func.__qualname__
    constructor = func.__name__ == "__init__"  # its self is not built yet
    # a function that is given a Machine and a Process (libbb, posix...) must be given that
    # machine's process; the kernel's own methods check it themselves, with own()
    annotations = " ".join(str(a) for a in func.__annotations__.values())
    owned = "Process" in annotations and "Machine" in annotations
    plan: list[tuple[str, int, Check, str]] | None = None

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal plan
        if plan is None:
            index = {name: i for i, name in enumerate(positional)}
            plan = [
                (name, index.get(name, -1), check, expected)
                for name, check, expected in _plan(func)
            ]
        if not flexible and (
            len(args) > len(positional)
            or not names.issuperset(kwargs)
            or not required.issubset(set(positional[: len(args)]) | set(kwargs))
        ):
            try:
                signature.bind(*args, **kwargs)
            except TypeError as error:
                raise WrongType(f"{where}: {error}") from None
        for name, position, check, expected in plan:
            if name.startswith("*"):
                value = args[len(positional) :]
            elif 0 <= position < len(args):
                value = args[position]
            elif name in kwargs:
                value = kwargs[name]
            else:
                continue
            if not check(value):
                hint = ""
                if isinstance(value, int) and "Process" in expected:
                    hint = " (machine.process(pid) gives the process of a pid)"
                raise WrongType(
                    f"{where}: {name} must be {expected}, not {type(value).__name__}"
                    f" {value!r}{hint}"
                )
        if owned:
            _check_ownership(where, args[1:] if constructor else args, kwargs)
        return func(*args, **kwargs)

    wrapper.__forkdocs_checked__ = True  # type: ignore[attr-defined]
    return typing.cast(F, wrapper)


_KERNEL: list[tuple[type[Any], type[Any]]] = []


def register_kernel(table: type[Any], process: type[Any]) -> None:
    """Called once by the kernel: ``table``, the class of a machine's process table (with
    ``own(process, action)``), and ``process``, the class of its processes. The ownership
    check of functions given both a Machine and a Process goes through them."""
    _KERNEL[:] = [(table, process)]


def _check_ownership(where: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A call that gets a Machine and Processes must get that machine's processes: the
    kernel's [`own()`][forkdocs.kernel.table.ProcessTable.own] says so if not. (Before the
    kernel is imported no machine can exist, so there is nothing to check.)"""
    if not _KERNEL:
        return
    table, process_type = _KERNEL[0]
    values = (*args, *kwargs.values()) if kwargs else args
    machine = next((v for v in values if isinstance(v, table)), None)
    if machine is None:
        return
    for value in values:
        if type(value) is process_type:
            machine.own(value, where)


def checks_itself(func: F) -> F:
    """Mark ``func`` as checking its own arguments (with messages that say more than a type
    check could): [`checked_module()`][forkdocs.common.guard.checked_module] leaves it alone."""
    func.__forkdocs_checked__ = True  # type: ignore[attr-defined]
    return func


C = TypeVar("C", bound=type)


def checked_class(cls: C) -> C:
    """``cls`` with every public method and ``__init__`` checked."""
    for name, member in list(vars(cls).items()):
        public = not name.startswith("_") or name == "__init__"
        if not public or not inspect.isfunction(member):
            continue
        setattr(cls, name, checked(member))
    return cls


def checked_module(namespace: dict[str, Any]) -> None:
    """Check every public function defined in the module whose globals are ``namespace``."""
    module = namespace["__name__"]
    for name, member in list(namespace.items()):
        if (
            not name.startswith("_")
            and inspect.isfunction(member)
            and member.__module__ == module
            and not getattr(member, "__forkdocs_checked__", False)
        ):
            namespace[name] = checked(member)
