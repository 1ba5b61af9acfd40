"""The code labels of the programs' text: each label a program's code is called or returns
at (``"main:call spawn"``) gets an address, so that a return address read back from the
stack can be named, or found not to be code."""

from __future__ import annotations

from forkdocs.common.errors import NotModelled
from forkdocs.common.guard import checked_class
from forkdocs.kernel.process import Process

#: Code addresses are this far apart in the text segment.
CODE_STRIDE = 16


class SymbolTable:
    """Gives each code label of a program (``"main:call spawn"``) an address in its text, in
    order of first use, and maps addresses back to labels."""

    def __init__(self) -> None:
        self._labels: dict[str, list[str]] = {}

    def address(self, process: Process, label: str) -> int:
        """The text address of ``label`` in the program ``process`` runs."""
        labels = self._labels.setdefault(process.program, [])
        if label not in labels:
            labels.append(label)
        text = process.segment("text")
        offset = CODE_STRIDE * (labels.index(label) + 1)
        if offset >= text.size:
            raise NotModelled(
                f"{process.program}: too many code labels ({len(labels)}) for"
                f" {text.size} bytes of text; install the program with a larger text segment"
            )
        return text.start + offset

    def label(self, process: Process, address: int) -> str | None:
        """The label at ``address`` in ``process``'s program, or None if it is not code."""
        text = process.segment("text")
        index, extra = divmod(address - text.start, CODE_STRIDE)
        labels = self._labels.get(process.program, [])
        if extra or not 1 <= index <= len(labels):
            return None
        return labels[index - 1]


checked_class(SymbolTable)
