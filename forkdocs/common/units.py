"""Sizes and addresses as people write them: ``"4 KiB"``, ``"1.5 MiB"``, ``0x1000 (4096)``."""

from __future__ import annotations

import re
from fractions import Fraction

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_module, checks_itself

_UNITS = {"": 1, "b": 1, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}
_SIZE = re.compile(r"^\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[a-zA-Z]*)\s*$")

#: What a size may be given as: a whole number of bytes, or a string such as ``"8 MiB"``.
Size = int | str


@checks_itself
def parse_size(value: Size, *, what: str = "size") -> int:
    """Return ``value`` in bytes.

    Accepts a non-negative int, or a number with an optional binary unit (B, KiB, MiB, GiB,
    TiB; case does not matter). A fractional size must come to a whole number of bytes.
    Raises [`InvalidArgument`][forkdocs.common.errors.InvalidArgument] naming ``what`` otherwise.
    """
    if isinstance(value, bool):
        raise InvalidArgument(
            f"{what} must be a number of bytes or a string like '4 KiB', not {value!r}"
        )
    if isinstance(value, int):
        if value < 0:
            raise InvalidArgument(f"{what} must not be negative, got {value}")
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    unit = match.group("unit").lower() if match else ""
    if match is None or unit not in _UNITS:
        raise InvalidArgument(
            f"{what} {value!r} is not a size: write a number of bytes or e.g. '4 KiB', '8 MiB', '1 GiB'"
        )
    exact = Fraction(match.group("number")) * _UNITS[unit]
    if exact.denominator != 1:
        raise InvalidArgument(f"{what} {value!r} is not a whole number of bytes")
    return int(exact)


def format_size(nbytes: int) -> str:
    """``1048576`` -> ``"1 MiB"``, ``6144`` -> ``"6 KiB"``, ``1536`` -> ``"1.5 KiB"``, ``100`` -> ``"100 B"``."""
    for unit in ("TiB", "GiB", "MiB", "KiB"):
        scale = _UNITS[unit.lower()]
        if nbytes >= scale:
            value = nbytes / scale
            text = f"{value:.2f}".rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return f"{nbytes} B"


def format_address(address: int) -> str:
    """An address in hex and decimal, as ``0x00012000 (73728)``; a negative one (an
    address computed wrongly) as ``-0x00000001 (-1)``."""
    sign = "-" if address < 0 else ""
    return f"{sign}0x{abs(address):08x} ({address})"


checked_module(globals())
