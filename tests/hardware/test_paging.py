"""Paging MMU: fork shares every frame copy-on-write (claims C2-C6, C35)."""

from forkdocs import Machine
from forkdocs.hardware.mmu import PagedSpace

from ..helpers import machine_with_shell


def space(process: object) -> PagedSpace:
    result = process.space  # type: ignore[attr-defined]
    assert isinstance(result, PagedSpace)
    return result


def test_fork_copies_no_data_frame_and_write_protects_both() -> None:
    """C2: a paging fork maps the same frames in a second page table, refcount 2, both COW."""
    m, shell = machine_with_shell("paging")
    used = m.memory_use().used
    child = m.fork(shell)
    assert m.stats.pages_copied == 0
    assert m.memory_use().used - used == 1, "only the child's page-table page is new"
    parent_rows, child_rows = list(space(shell).mappings()), list(space(child).mappings())
    assert parent_rows == child_rows
    private = [row for row in parent_rows if row.access != "r-"]
    assert private and all(row.access == "cow" for row in private)
    for row in parent_rows:
        assert m.memory.refcount(row.pfn) == 2


def test_fork_costs_page_tables_but_vfork_does_not() -> None:
    """C3: fork allocates page-table pages for the child; vfork allocates none."""
    m = Machine(mmu="paging", ram="64 MiB")
    big = m.start("/bin/big", image="16 MiB")  # 4096 pages: 8 page-table pages
    tables = m.stats.page_table_pages
    m.fork(big)
    assert m.stats.page_table_pages - tables == 8
    m.vfork(big)
    assert m.stats.page_table_pages == 16, "vfork copied no page table"


def test_first_write_copies_one_page_and_second_write_nothing() -> None:
    """C4: the first write to a shared page copies exactly it; writing again or reading copies nothing."""
    m, shell = machine_with_shell("paging")
    child = m.fork(shell)
    assert shell.translate(shell.heap) == child.translate(child.heap)
    child.read(child.heap, 100)
    assert m.stats.pages_copied == 0
    child.write(child.heap, b"a")
    assert m.stats.pages_copied == 1
    child.write(child.heap + 8, b"b")
    assert m.stats.pages_copied == 1
    assert shell.translate(shell.heap) != child.translate(child.heap)


def test_last_user_reuses_the_page_after_the_child_execs() -> None:
    """C5: once the child has exec'd, the parent's write copies nothing: refcount is back to 1."""
    m, shell = machine_with_shell("paging")
    child = m.fork(shell)
    m.execve(child, "/bin/ls")
    pfn = shell.translate(shell.heap) // m.page_size
    assert m.memory.refcount(pfn) == 1
    shell.write(shell.heap, b"mine")
    assert (m.stats.pages_copied, m.stats.cow_faults) == (0, 1)
    assert pfn * m.page_size == shell.translate(shell.heap), "the same frame was reused"


def test_fork_exec_peak_is_parent_plus_written_pages_plus_tables() -> None:
    """C6: fork+exec peaks at P + k + page tables; afterwards usage is P + C."""
    m, shell = machine_with_shell("paging")
    m.install("/bin/true", text="4 KiB", stack="4 KiB")  # C = 2 pages
    m.mark()
    base = m.memory_use().used  # P and its page table
    child = m.fork(shell)  # + 1 page-table page
    for page in range(3):  # k = 3 pages written before exec
        child.write(child.heap + page * m.page_size, b"x")
    m.execve(child, "/bin/true")
    assert base + 3 + 1 == m.memory_use().peak
    assert base + 2 + 1 == m.memory_use().used, "P + C, and the new image's page table"


def test_fork_and_vfork_agree_for_a_compliant_child() -> None:
    """C35: for a child that only execs and exits, fork and vfork give the same results on
    paging; vfork just takes no copy-on-write fault and no page table."""
    results = {}
    for call in ("fork", "vfork"):
        m, shell = machine_with_shell("paging")
        shell.environ["TERM"] = "vt100"
        m.mark()
        tables = m.stats.page_table_pages
        child = getattr(m, call)(shell)
        new_tables = m.stats.page_table_pages - tables
        m.execve(child, "/bin/ls")
        m._exit(child, 3)
        results[call] = (m.waitpid(shell)[1], child.environ, m.stats.cow_faults, new_tables)
    assert results["fork"][:2] == results["vfork"][:2]
    assert results["vfork"][2:] == (0, 0), "vfork: no COW fault, no page table"
    assert results["fork"][2:] == (0, 1), "fork: no COW fault either, but a page table"


def test_text_frames_are_shared_between_processes_of_one_program() -> None:
    """Text of the same program is mapped, not copied, by every process that runs it."""
    m, shell = machine_with_shell("paging")
    other = m.start("/bin/sh")
    assert shell.translate(shell.text) == other.translate(other.text)
    assert m.memory.refcount(shell.translate(shell.text) // m.page_size) == 2
