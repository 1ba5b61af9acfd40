"""fork and threads on the real kernel and in the model (C45, C46): a mutex held by a thread
that fork did not copy stays locked in the child unless atfork handlers prepare it; vfork
suspends only the calling thread."""

from __future__ import annotations

from forkdocs import Machine, ProcessBlocked
from forkdocs.userland.threads import Mutex, fork, pthread_atfork, pthread_create

from .conftest import output_of


def model_lines() -> list[str]:
    m = Machine(mmu="paging", ram="8 MiB")
    app = m.start("/bin/app", image="256 KiB")
    mutex = Mutex(app.heap)
    holder = pthread_create(m, app)
    mutex.lock(holder)
    child = m.fork(app)
    state = "free" if mutex.try_lock(child) else "still locked (EBUSY)"
    lines = [f"fork while another thread holds the mutex: in the child it is {state}"]
    mutex.unlock(holder)
    pthread_atfork(
        app, lambda p: mutex.lock(p), lambda p: mutex.unlock(p), lambda p: mutex.reset(p)
    )
    child = fork(m, app)
    state = "free" if mutex.try_lock(child) else "still locked (EBUSY)"
    lines.append(f"with pthread_atfork handlers: in the child it is {state}")

    n = Machine(mmu="none", ram="8 MiB")
    parent = n.start("/bin/app", image="256 KiB")
    ticker = pthread_create(n, parent)
    borrower = n.vfork(parent)
    ticker.write_word(parent.heap, 1)
    ran = borrower.read_word(parent.heap) == 1
    try:
        parent.read_word(parent.heap)
        ran = False  # the calling thread should be suspended
    except ProcessBlocked:
        pass
    lines.append(f"during vfork, the parent's other thread kept running: {'yes' if ran else 'no'}")
    return lines


def test_threads_and_fork_on_the_kernel_and_in_the_model() -> None:
    assert output_of("threads_fork", flags=("-O2", "-pthread")) == model_lines()
