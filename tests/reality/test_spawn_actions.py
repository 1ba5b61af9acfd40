"""posix_spawn's file actions, attributes and PATH search on the real kernel, built against
glibc and against musl, beside the model's posix_spawn (C38, C39, C40; C49: the
redirection a child sets up for the program it starts)."""

from __future__ import annotations

from forkdocs import Machine
from forkdocs.doctools.run.cprograms import build, run
from forkdocs.userland.posix import FileActions, SpawnAttr, posix_spawn, posix_spawnp

from .conftest import SNIPPETS, need_tool


def lines(cc: str) -> list[str]:
    source = (SNIPPETS / "spawn_actions.c").read_text()
    binary = build(source, "spawn_actions", ("-O2",), origin="snippets/c/spawn_actions.c", cc=cc)
    finished = run(binary)
    assert 0 == finished.returncode, finished.output
    return finished.output.splitlines()


def test_glibc_and_musl_agree_with_each_other_and_with_the_model() -> None:
    need_tool("musl-gcc", "musl-tools")
    glibc, musl = lines(""), lines("musl-gcc")
    assert glibc == musl
    assert "redirected: rc=0, exit 0, the file holds: cwd ok" == glibc[0]
    assert "new session" == glibc[1]

    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="256 KiB", environ={"PATH": "/usr/bin:/bin"})
    m.install("/usr/bin/true", image="64 KiB")  # it stays running: its fds can be read
    actions = FileActions()
    actions.add_open(1, "/tmp/out")
    actions.add_chdir("/tmp")
    for implementation in ("glibc", "musl"):
        rc, pid = posix_spawnp(
            m,
            shell,
            "true",
            ["true"],
            file_actions=actions,
            attr=SpawnAttr(setsid=True),
            implementation=implementation,
        )
        child = m.process(pid) if pid else None
        assert rc == 0 and child is not None
        assert (child.fds[1].name, child.cwd, child.sid) == ("/tmp/out", "/tmp", child.pid)
        broken = FileActions()
        broken.add_dup2(7, 1)
        assert (9, None) == posix_spawnp(
            m, shell, "true", ["true"], file_actions=broken, implementation=implementation
        )
        assert "dup2 from fd 7: rc=EBADF, pid untouched" in glibc
        assert posix_spawn(m, shell, "true", ["true"], implementation=implementation)[0] == 2
        assert "spawn true (no PATH search): rc=ENOENT" in glibc
