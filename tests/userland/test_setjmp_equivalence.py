"""C20: vfork built from setjmp/longjmp is observably the kernel's vfork, for every child
that keeps the rules; a child that breaks them is caught as a crash, not passed.

Hypothesis generates child programs (at least 500 per run) and runs each both ways.
"""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from forkdocs.userland.childprog import (
    GLOBALS,
    REGISTER_LOCALS,
    STACK_LOCALS,
    Call,
    ChildProgram,
    Exec,
    Exit,
    ReturnEarly,
    SetLocal,
    SetRegister,
    Step,
    WriteGlobal,
    complies,
    run_vfork,
)

values = st.integers(0, 2**32)
body_steps: st.SearchStrategy[Step] = st.one_of(
    st.builds(SetLocal, st.sampled_from(STACK_LOCALS), values),
    st.builds(SetRegister, st.sampled_from(REGISTER_LOCALS), values),
    st.builds(WriteGlobal, st.integers(0, GLOBALS - 1), values),
    st.builds(
        Call,
        st.sampled_from(["strlen", "getenv", "close"]),
        st.tuples() | st.tuples(values),
        st.integers(0, 3),
    ),
    st.just(Exec("/bin/missing")),
)
endings: st.SearchStrategy[Step] = st.one_of(
    st.just(Exec("/bin/true")), st.builds(Exit, st.integers(0, 300))
)
compliant: st.SearchStrategy[ChildProgram] = st.builds(
    lambda body, end: (*body, end), st.lists(body_steps, max_size=6), endings
)
mmus = st.sampled_from(["paging", "base+length", "none"])


@settings(max_examples=500, deadline=None)
@given(program=compliant, mmu=mmus)
def test_setjmp_vfork_matches_kernel_vfork_for_compliant_children(
    program: ChildProgram, mmu: str
) -> None:
    """C20: same pid, same memory, same registers, same exit status, and the parent returns
    normally; the only difference is that the model has one process less in the window."""
    assert complies(program)
    kernel = run_vfork(program, mmu=mmu, model="kernel")
    model = run_vfork(program, mmu=mmu, model="setjmp")
    assert "ok" == kernel.parent_return
    assert (kernel.processes_in_window - 1) == model.processes_in_window
    assert kernel == type(kernel)(
        **{**model.__dict__, "processes_in_window": kernel.processes_in_window}
    )


@settings(max_examples=100, deadline=None)
@given(
    body=st.lists(body_steps, max_size=3),
    arg=st.integers(0x1_0000_0000, 2**63),
    end=endings,
    mmu=mmus,
)
def test_a_child_that_returns_early_is_caught_as_a_crash(
    body: list[Step], arg: int, end: Step, mmu: str
) -> None:
    """C18/C20: returning from the vfork caller and calling a function clobbers the parent's
    saved state: both models see the same harm, a crash or a return to the wrong place
    (x86-64 with and without frame pointers, and i386)."""
    program: ChildProgram = (*body, ReturnEarly(), Call("puts", (arg,)), end)
    assert not complies(program)
    for abi, frame_pointers in (("x86-64", False), ("x86-64", True), ("i386", False)):
        outcomes = {
            run_vfork(
                program, mmu=mmu, model=model, abi=abi, frame_pointers=frame_pointers
            ).parent_return
            for model in ("kernel", "setjmp")
        }
        assert len(outcomes) == 1 and "ok" not in outcomes, (abi, frame_pointers, outcomes)
