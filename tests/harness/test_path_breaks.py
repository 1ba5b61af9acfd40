"""The path-breaks extension lets a path in inline code break after its slashes, and only
there: the reader's copy of the path is unchanged (``<wbr>`` copies as nothing), and code
blocks are left alone."""

from __future__ import annotations

import re

import markdown

EXTENSION = "forkdocs.doctools.integrations.path_breaks"


def html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "fenced_code", EXTENSION])


def test_inline_code_that_inlinehilite_keeps_aside_breaks_too() -> None:
    """The site's configuration: pymdownx.inlinehilite stores inline code as raw HTML."""
    out = markdown.markdown(
        "| a | b |\n|---|---|\n| `tests/x.py` | `#!python os.fork()` |\n",
        extensions=["tables", "pymdownx.highlight", "pymdownx.inlinehilite", EXTENSION],
    )
    assert "<code>tests/<wbr>x.py</code>" in out
    assert "os" in out and out.count("<wbr") == 1, "highlighted code is left as it is"


def test_a_path_in_inline_code_may_break_after_each_slash() -> None:
    out = html("Run `tests/reality/test_copy_on_write.py` on Linux.")
    assert "<code>tests/<wbr />reality/<wbr />test_copy_on_write.py</code>" in out
    assert re.sub(r"<wbr\s*/?>", "", out).count("tests/reality/test_copy_on_write.py") == 1


def test_a_folder_name_text_without_slash_and_code_blocks_are_left_alone() -> None:
    out = html("`tests/reality/` and `fork()` and `a < b/c`\n\n```\nsnippets/c/x.c\n```\n")
    assert "<code>tests/reality/</code>" in out
    assert "<code>fork()</code>" in out
    assert "<code>a &lt; b/<wbr />c</code>" in out, "escaped text stays escaped"
    assert "snippets/c/x.c" in out and out.count("<wbr") == 1


def test_paths_in_table_cells_break_too() -> None:
    out = html("| claim | checked by |\n|---|---|\n| C1 | `tests/kernel/test_fork.py` |\n")
    assert "<td><code>tests/<wbr />kernel/<wbr />test_fork.py</code></td>" in out
