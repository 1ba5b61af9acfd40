"""What a child inherits, clone's CLONE_FILES, reapers, and posix_spawn's file actions and
attributes, and threads in the model (C38, C39, C40, C41, C42, C43, C44, C45, C46, C49)."""

from __future__ import annotations

import pytest

from forkdocs import (
    SIGINT,
    SIGTERM,
    SIGUSR1,
    Machine,
    NotPermitted,
    Process,
    ProcessGone,
    State,
)
from forkdocs.common.errors import BadFileDescriptor
from forkdocs.userland.posix import FileActions, SpawnAttr, posix_spawn, posix_spawnp


def scene() -> tuple[Machine, Process]:
    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="256 KiB", environ={"PATH": "/usr/bin:/bin"})
    m.install("/bin/ls", image="64 KiB")
    return m, shell


def test_close_on_exec_closes_only_marked_descriptors_and_dup2_clears_the_mark() -> None:
    """C41: exec closes FD_CLOEXEC descriptors; dup2's copy does not carry the flag; fork
    keeps descriptors and flags, with one shared offset."""
    m, shell = scene()
    kept, marked = m.open(shell, "a"), m.open(shell, "b", cloexec=True)
    copy = m.dup2(shell, marked, 9)
    child = m.fork(shell)
    assert {kept, marked, 9} <= set(child.fds) and child.cloexec == {marked}
    m.write_fd(child, kept, b"xyz")
    assert shell.fds[kept].offset == 3
    m.execve(child, "/bin/ls")
    assert kept in child.fds and copy in child.fds and marked not in child.fds
    assert set() == child.cloexec
    m.set_cloexec(shell, kept)
    assert kept in shell.cloexec
    with pytest.raises(BadFileDescriptor):
        m.dup2(shell, 42, 3)


def test_exec_resets_handlers_keeps_ignored_signals_the_mask_cwd_and_session() -> None:
    """C42: handled -> default at exec; ignored, the mask, the directory, the session stay."""
    m, shell = scene()
    m.sigaction(shell, SIGUSR1, "handler")
    m.sigaction(shell, SIGINT, "ignore")
    m.sigprocmask(shell, "block", {SIGTERM})
    m.chdir(shell, "/srv")
    child = m.fork(shell)
    assert child.dispositions == {SIGUSR1: "handler", SIGINT: "ignore"}
    m.execve(child, "/bin/ls")
    assert child.dispositions == {SIGINT: "ignore"}
    assert SIGTERM in child.blocked_signals
    assert (child.cwd, child.sid, child.pgid) == ("/srv", shell.sid, shell.pgid)


def test_clone_files_shares_one_table_until_exec() -> None:
    """C43: with CLONE_FILES open and close by either are seen by both; exec unshares."""
    m, shell = scene()
    child = m.clone(shell, stack="new", suspend=False, files="share")
    fd = m.open(child, "new")
    assert fd in shell.fds
    m.execve(child, "/bin/ls")
    m.close(child, fd)
    assert fd in shell.fds, "after exec the child has a table of its own"
    own = m.clone(shell, stack="new", suspend=False)
    m.close(own, fd)
    assert fd in shell.fds


def test_orphans_go_to_the_nearest_living_subreaper_else_init() -> None:
    """C44: re-parenting to the nearest living subreaper ancestor, who must wait; init
    reaps at once unless it does not (a container's pid 1)."""
    m, shell = scene()
    m.set_child_subreaper(shell)
    middle = m.fork(shell)
    m.set_child_subreaper(middle)
    low = m.fork(middle)
    orphan = m.fork(low)
    m._exit(low, 0)
    assert orphan.ppid == middle.pid
    m._exit(middle, 0)
    assert orphan.ppid == shell.pid
    m._exit(orphan, 3)
    assert orphan.state is State.ZOMBIE
    assert (orphan.pid, 3 << 8) == m.waitpid(shell, orphan.pid)

    quiet = Machine(mmu="paging", ram="8 MiB", init_reaps=False)
    top = quiet.start("/bin/sh", image="64 KiB")
    helper = quiet.fork(top)
    worker = quiet.fork(helper)
    quiet._exit(helper, 0)
    quiet._exit(worker, 0)
    assert worker.state is State.ZOMBIE and worker.ppid == 1


def test_file_actions_run_in_order_in_the_child_and_a_failure_is_the_result() -> None:
    """C38: attributes then file actions, in the child only; a failing action returns its
    error number, sets no pid and leaves no zombie."""
    m, shell = scene()
    actions = FileActions()
    actions.add_open(5, "/tmp/out", cloexec=True)
    actions.add_dup2(5, 1)
    actions.add_close(5)
    actions.add_close(40)  # not open: not an error
    actions.add_chdir("/tmp")
    rc, pid = posix_spawn(
        m,
        shell,
        "/bin/ls",
        ["ls"],
        file_actions=actions,
        attr=SpawnAttr(setsid=True, sigmask={SIGTERM}, sigdefault={SIGINT}),
    )
    assert rc == 0 and pid is not None
    child = m.process(pid)
    assert child.fds[1].name == "/tmp/out" and 5 not in child.fds
    assert (child.cwd, child.sid, child.blocked_signals) == ("/tmp", pid, {SIGTERM})
    assert shell.fds[1].name == "/dev/console" and shell.cwd == "/"
    broken = FileActions()
    broken.add_dup2(7, 1)
    assert (9, None) == posix_spawn(m, shell, "/bin/ls", ["ls"], file_actions=broken)
    assert [c.pid for c in m.children(shell)] == [pid]
    with pytest.raises(NotPermitted):
        m.setsid(shell)  # a session leader already


def test_posix_spawnp_searches_path_and_both_libraries_report_errors() -> None:
    """C39, C40: posix_spawnp looks names up in PATH, posix_spawn does not; glibc (shared
    variable) and musl (close-on-exec pipe) return the same errors, leaving no descriptor."""
    m, shell = scene()
    m.install("/usr/bin/true", image="20 KiB")
    before = dict(shell.fds)
    for implementation in ("glibc", "musl"):
        rc, pid = posix_spawnp(m, shell, "true", ["true"], implementation=implementation)
        assert rc == 0 and m.process(pid).program == "/usr/bin/true"
        assert sorted(m.process(pid).fds) == [0, 1, 2], "the pipe closed at exec"
        assert (2, None) == posix_spawn(m, shell, "true", ["true"], implementation=implementation)
        assert (2, None) == posix_spawn(
            m, shell, "/bin/missing", ["x"], implementation=implementation
        )
    assert before == shell.fds


def test_fork_copies_only_the_calling_thread_and_its_locks_stay_held() -> None:
    """C45: the child has no other thread; a mutex held by one stays held, nobody can unlock
    it; atfork handlers run prepare (reverse order), then parent and child (in order)."""
    from forkdocs import WouldBlock
    from forkdocs.userland.threads import Mutex, fork, pthread_atfork, pthread_create

    m, app = scene()
    mutex = Mutex(app.heap)
    worker = pthread_create(m, app)
    mutex.lock(worker)
    child = m.fork(app)
    assert {} == child.threads and mutex.owner(child) == worker.tid
    with pytest.raises(WouldBlock, match="does not exist"):
        mutex.lock(child)
    mutex.unlock(worker)
    calls: list[str] = []
    pthread_atfork(app, lambda p: calls.append("prepare 1"), lambda p: calls.append("parent 1"))
    pthread_atfork(
        app, lambda p: calls.append("prepare 2"), None, lambda p: calls.append("child 2")
    )
    fork(m, app)
    assert ["prepare 2", "prepare 1", "parent 1", "child 2"] == calls
    m.execve(app, "/bin/ls")
    with pytest.raises(ProcessGone, match="does not exist"):
        worker.read_word(app.heap)  # exec ended the other threads


def test_vfork_suspends_only_the_calling_thread() -> None:
    """C46: another thread of a vforked parent runs, in the memory the child borrows."""
    from forkdocs import ProcessBlocked
    from forkdocs.userland.threads import pthread_create

    m = Machine(mmu="none", ram="8 MiB")
    app = m.start("/bin/app", image="64 KiB")
    other = pthread_create(m, app)
    child = m.vfork(app)
    other.write_word(app.heap, 5)
    assert child.read_word(app.heap) == 5
    with pytest.raises(ProcessBlocked):
        app.read_word(app.heap)


def test_a_child_sets_up_its_descriptors_in_the_gap_before_exec() -> None:
    """C49: between fork and exec the child rearranges its own descriptors (a shell's
    pipeline: dup2 onto 0 or 1, close the original), and the new program starts with them;
    the parent's table is untouched."""
    m, shell = scene()
    pipe = m.open(shell, "pipe")
    left = m.fork(shell)
    m.dup2(left, pipe, 1)
    m.close(left, pipe)
    m.execve(left, "/bin/ls")
    assert (left.fds[1].name, pipe in left.fds) == ("pipe", False)
    assert shell.fds[1].name == "/dev/console" and pipe in shell.fds
