"""run-c: a page's C program is built, run on this kernel, and its transcript checked."""

from __future__ import annotations

import shutil

import pytest

from .conftest import PAGE_CHECK, Project

needs_cc = pytest.mark.skipif(
    shutil.which("gcc") is None and shutil.which("cc") is None,
    reason="no C compiler (Debian: apt-get install gcc)",
)

PROGRAM = """\
#include <stdio.h>
#include <string.h>
int main(int argc, char *argv[])
{
    printf("%d argument(s)%s%s\\n", argc - 1, argc > 1 ? ": " : "", argc > 1 ? argv[1] : "");
    return argc > 2 ? 3 : 0;
}
"""


def page(runs: str, output: str) -> str:
    return (
        f"<!-- run-c: {runs} -->\n"
        '```c title="snippets/c/args.c"\n--8<-- "snippets/c/args.c"\n```\n\n'
        f'```text title="Output"\n{output}```\n'
    )


@needs_cc
def test_the_transcript_of_each_build_and_run_is_compared(project: Project) -> None:
    project.write("snippets/c/args.c", PROGRAM)
    project.write(
        "docs/p.md",
        page(
            "-O0; -O2 -- one; -O2 -- one two",
            "$ cc -O0 -o args args.c\n$ ./args\n0 argument(s)\n$ cc -O2 -o args args.c\n"
            "$ ./args one\n1 argument(s): one\n$ ./args one two\n2 argument(s): one\n"
            "[exit status 3]\n",
        ),
    )
    project.run().assert_outcomes(passed=1 + PAGE_CHECK)


@needs_cc
def test_a_wrong_output_fails_with_a_diff_and_update_mode_rewrites_it(project: Project) -> None:
    project.write("snippets/c/args.c", PROGRAM)
    path = project.write("docs/p.md", page("-O2 -- x", "$ ./args x\nnothing\n"))
    result = project.run()
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/p.md:2:1: OutputMismatch*", "*-nothing*", "*+1 argument(s): x*"]
    )
    project.run("--update-examples").assert_outcomes(passed=1 + PAGE_CHECK)
    assert "1 argument(s): x" in path.read_text()
    project.run().assert_outcomes(passed=1 + PAGE_CHECK)


@needs_cc
def test_a_fence_that_shows_a_section_builds_and_runs_the_whole_file(project: Project) -> None:
    """The page shows the lines that make the point; the program tested is all of it (its
    main() is outside the section, so a build of the section alone would not link)."""
    project.write(
        "snippets/c/part.c",
        "#include <stdio.h>\n// --8<-- [start:point]\nstatic int twice(int n)\n{\n"
        "    return 2 * n;\n}\n// --8<-- [end:point]\n"
        'int main(void)\n{\n    printf("%d\\n", twice(21));\n    return 0;\n}\n',
    )
    project.write(
        "docs/p.md",
        '<!-- run-c: -O2 -->\n```c title="snippets/c/part.c" hl_lines="3"\n'
        '--8<-- "snippets/c/part.c:point"\n```\n\n'
        '```text title="Output"\n$ cc -O2 -o part part.c\n$ ./part\n42\n```\n',
    )
    project.run().assert_outcomes(passed=1 + PAGE_CHECK)


@needs_cc
def test_a_program_that_does_not_compile_names_the_page(project: Project) -> None:
    project.write("snippets/c/args.c", "int main(void) { return undeclared; }\n")
    project.write("docs/p.md", page("-O2", "\n"))
    result = project.run()
    result.assert_outcomes(passed=PAGE_CHECK, failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/p.md:2*does not compile*", "snippets/c/args.c:1:25: error: *undeclared*"]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- run-c: -O2 -->\n\n```text\nhello\n```\n", "*must stand right above a ```c fence*"),
        ("<!-- run-c: -O2 -->\n```c\nint main(void){return 0;}\n```\n", "*needs an output block*"),
        ("<!-- run-c: O2 -->\n```c\nint x;\n```\n", "*'O2' is not a compiler flag*"),
    ],
)
def test_a_misplaced_or_malformed_directive_is_an_error_naming_the_line(
    project: Project, text: str, message: str
) -> None:
    project.write("docs/p.md", "# A page\n\n" + text)
    result = project.run()
    assert result.ret != 0
    result.stdout.fnmatch_lines([f"*p.md:3*{message.lstrip('*')}"])


def test_without_a_compiler_the_example_is_skipped_naming_the_package(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("snippets/c/args.c", PROGRAM)
    project.write("docs/p.md", page("-O2", "\n"))
    monkeypatch.setenv("PATH", str(project.root / "no-such-bin"))
    monkeypatch.delenv("FORKDOCS_REALITY", raising=False)
    result = project.run_isolated("-rs")  # a process of its own: the compiler is looked up once
    result.assert_outcomes(passed=PAGE_CHECK, skipped=1)
    result.stdout.fnmatch_lines(["*apt-get install gcc*"])
