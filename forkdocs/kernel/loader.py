"""The loader: installed programs, loading an image into a fresh address space, commit
accounting under strict overcommit, and a new image's argv, environment and main."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from forkdocs.common.errors import (
    ExecFormatError,
    ForkdocsError,
    InvalidArgument,
    NoSuchProgram,
    NotModelled,
    OutOfMemory,
)
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.common.units import Size
from forkdocs.hardware.mmu import SPACES, AddressSpace
from forkdocs.hardware.segments import Image, image_address
from forkdocs.kernel.process import OpenFile, Process, reset_handlers_for_exec
from forkdocs.kernel.program import Format, Main, Program, loads
from forkdocs.kernel.table import INIT_PID, ProcessTable


def check_argv(argv: object, what: str) -> None:
    """Refuse an argv that is not a list of strings (a bare string would become letters)."""
    if argv is None:
        return
    if not isinstance(argv, list | tuple) or not all(isinstance(arg, str) for arg in argv):
        raise InvalidArgument(
            f"{what}: argv must be a list of strings such as ['ls', '-l'], not {argv!r}"
        )


class Loader(ProcessTable):
    """Part of [`Machine`][forkdocs.machine.Machine]: the loader."""

    @property
    def page_size(self) -> int:
        return self.memory.page_size

    @property
    def linux_mmu(self) -> bool:
        """Whether this hardware's Linux is built with MMU support (a paging MMU; BusyBox's
        BB_MMU). Base+length and no-MMU hardware run the no-MMU kernel."""
        return SPACES[self.mmu].linux_mmu

    @property
    def committed(self) -> int:
        """Pages committed under strict overcommit (0 in heuristic mode)."""
        return self._hw.committed

    def install(
        self,
        program: Program | str,
        *,
        image: Size | None = None,
        main: Main | None = None,
        executable: bool = True,
        format: Format = "any",
        interpreter: str = "",
        **sizes: Size,
    ) -> Program:
        """Make a program available to execve: a [`Program`][forkdocs.kernel.program.Program], or a path with either a
        total ``image`` size or segment sizes (``text="64 KiB", heap="1 MiB"``...). ``main``
        is what it does when it starts; ``executable=False`` makes exec fail with EACCES;
        ``format`` and ``interpreter`` are the [`Program`][forkdocs.kernel.program.Program]'s (what
        the file is to the kernel, and the ``#!`` line of a script)."""
        if isinstance(program, str):
            unknown = sorted(set(sizes) - {"text", "data", "bss", "heap", "stack"})
            if unknown:
                raise InvalidArgument(
                    f"{program}: unknown segment {', '.join(unknown)}; give image= or any of"
                    " text=, data=, bss=, heap=, stack="
                )
            if image is not None:
                if sizes:
                    raise InvalidArgument(f"{program}: give image= or segment sizes, not both")
                program = Program.sized(program, image, page_size=self.page_size)
            elif "text" not in sizes:
                raise InvalidArgument(
                    f"{program}: give image= or any of text=, data=, bss=, heap=, stack="
                    " (text= at least)"
                )
            else:
                program = Program.of(program, **sizes)  # type: ignore[arg-type]
            program = replace(
                program, main=main, executable=executable, format=format, interpreter=interpreter
            )
        elif (
            image is not None
            or sizes
            or main is not None
            or not executable
            or format != "any"
            or interpreter
        ):
            raise InvalidArgument(
                f"{program.path}: a Program already has its sizes, main, executable bit,"
                " format and interpreter;"
                " give either a Program alone or a path with sizes"
            )
        self.programs[program.path] = program
        return program

    def start(
        self,
        path: str,
        *,
        image: Size | None = None,
        argv: list[str] | None = None,
        environ: dict[str, str] | None = None,
        main: Main | None = None,
        **sizes: Size,
    ) -> Process:
        """A new process running ``path``, a child of init, with fds 0-2 open on the console.
        Installs the program first when ``image`` or segment sizes are given."""
        if image is not None or sizes or main is not None:
            self.install(path, image=image, main=main, **sizes)  # type: ignore[arg-type]
        check_argv(argv, f"starting {path}")
        program = self._program(path)
        self._check_table_room(self.init)
        space = self._charged(
            program, f"starting {path}", lambda: self._load(program, self._next_pid)
        )
        process = self._new_process(ppid=INIT_PID, space=space)
        process.pgid = process.sid = process.pid  # started by init: a session of its own
        process.fds = {fd: OpenFile("/dev/console") for fd in (0, 1, 2)}
        self.trace.record("start", process.pid, program=path, size=space.size)
        self._set_image(process, path, argv, environ or {})
        return process

    def _program(self, path: str) -> Program:
        try:
            return self.programs[path]
        except KeyError:
            known = ", ".join(sorted(self.programs)) or "none yet"
            raise NoSuchProgram(f"no program {path!r} is installed (installed: {known})") from None

    def _image_for(self, program: Program, what: str) -> Program:
        """The program whose image exec loads to run ``program``: itself, or the
        interpreter its ``#!`` line names (once: an interpreter that is itself a script is
        refused, as this model goes no deeper). ENOEXEC when this kernel has no loader for
        the file's format, ENOENT when a script's interpreter is not installed."""
        if program.interpreter:
            if program.interpreter not in self.programs:
                raise NoSuchProgram(
                    f"{what}: {program.path} is a script for {program.interpreter}, which is not"
                    " installed (the kernel reports the missing interpreter as ENOENT)"
                )
            interpreter = self.programs[program.interpreter]
            if interpreter.interpreter:
                raise NotModelled(
                    f"{what}: {program.interpreter} is itself a script; the model follows one"
                    " #! line only"
                )
            return self._image_for(interpreter, what)
        if not loads(program.format, self.linux_mmu):
            hardware = "with MMU support" if self.linux_mmu else "without MMU support"
            kinds = {
                "elf": f"an ELF executable, and a Linux {hardware} loads none",
                "flat": f"a bFLT executable, and a Linux {hardware} loads none",
                "data": "in no format a kernel loads (a script needs its #! line)",
            }
            raise ExecFormatError(f"{what}: {program.path} is {kinds[program.format]}")
        return program

    def _load(self, program: Program, pid: int) -> AddressSpace:
        space = SPACES[self.mmu].load(self._hw, program, pid)
        for slot, target in program.relocations:
            pointer = image_address(space.segments, target)
            self.memory.write(
                space.translate(image_address(space.segments, slot), write=False, pid=pid),
                pointer.to_bytes(8, "little"),
            )
        return space

    def _enter_main(self, process: Process) -> None:
        program = self.programs.get(process.program)
        if program is not None and program.main is not None:
            self.trace.record("main", process.pid, program=program.path)
            program.main(self._host, process)

    def _charged(
        self, program: Image, what: str, build: Callable[[], AddressSpace]
    ) -> AddressSpace:
        """``build()`` a space for ``program`` with its private writable pages committed first
        (strict overcommit only); the commit is undone if the build fails."""
        pages = program.pages(self.page_size)
        need = sum(pages.values()) - pages["text"] if self.overcommit == "strict" else 0
        if self.committed + need > self.commit_limit:
            raise OutOfMemory(
                f"{what}: committing {need} more pages would exceed the commit limit of"
                f" {self.commit_limit} pages ({self.committed} committed; strict overcommit)"
            )
        self._hw.committed += need
        try:
            space = build()
        except ForkdocsError:
            self._hw.committed -= need
            raise
        space.charged = need
        return space

    def _set_image(
        self, process: Process, path: str, argv: list[str] | None, environ: dict[str, str]
    ) -> None:
        """A freshly loaded program in ``process``: its name, argv, environment, and fresh
        registers and C variables; then its main runs."""
        process.program = path
        process.argv = list(argv) if argv is not None else [path]
        process.environ = dict(environ)
        process.sp, process.stack_frames, process.registers, process.variables = None, [], {}, {}
        reset_handlers_for_exec(process)
        self._enter_main(process)


checked_class(Loader)


checked_module(globals())
