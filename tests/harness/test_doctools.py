"""The docs harness: fence grammar, doctest routing, the doc-example count, link locations."""

from pathlib import Path

import pytest
from sybil import Document

from forkdocs.doctools.grammar.blocks import starts_as_doctest
from forkdocs.doctools.grammar.fences import parse_info
from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.mkdocs_hooks import link_location
from forkdocs.doctools.run.parsers import PageParser


@pytest.mark.parametrize(
    ("info", "language", "title"),
    [
        ("python", "python", None),
        ("py", "python", None),
        ("python3", "python", None),
        ('python title="hello.py"', "python", "hello.py"),
        ('python linenums="1" hl_lines="1"', "python", None),
        ("{ .python .annotate }", "python", None),
        ('{.py title="x.py"}', "python", "x.py"),
        ("pycon", "pycon", None),
        ("text", "text", None),
        ("", "", None),
    ],
)
def test_fence_info_strings_as_material_reads_them(
    info: str, language: str, title: str | None
) -> None:
    fence = parse_info(info)
    assert (language, title) == (fence.language, fence.attributes.get("title"))


def test_brace_form_keeps_the_other_classes() -> None:
    assert ("annotate",) == parse_info("{ .python .annotate }").classes


def test_a_leading_comment_does_not_stop_a_doctest() -> None:
    assert starts_as_doctest("# a comment\n\n>>> 1 + 1\n2\n")
    assert not starts_as_doctest("x = 1\n>>> not a prompt\n")


def test_every_python_fence_form_is_collected(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```py\na = 1\n```\n\n"
        '```python title="t.py" linenums="1"\nb = a + 1\n```\n\n'
        "~~~python3\nc = b\n~~~\n\n"
        "!!! note\n\n    ```{ .python .annotate }\n    d = c\n    ```\n\n"
        "> ```python\n> e = d\n> ```\n\n"
        "- item\n\n    ```pycon\n    >>> e\n    2\n    ```\n\n"
        "```text\nnot python\n```\n",
        encoding="utf-8",
    )
    document = Document.parse(str(page), PageParser())
    examples = list(document.examples())
    assert 6 == len(examples)
    for example in examples:
        example.evaluate()
    assert 2 == document.namespace["e"]


def test_the_guide_takes_docs_dir_pages_and_the_readme_only(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: guide\n", encoding="utf-8")
    project = GuideProject(tmp_path / "mkdocs.yml")
    wanted = [tmp_path / "README.md", tmp_path / "guide" / "a" / "b.md"]
    unwanted = [tmp_path / "CHANGELOG.md", tmp_path / "guide" / "x.txt", tmp_path / "docs" / "t.md"]
    assert [True, True, False, False, False] == [project.is_page(p) for p in wanted + unwanted]


def test_link_location_names_the_page_and_line(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(
        "# Title\n\ntext\nSee [there](other.md#nope).\n", encoding="utf-8"
    )
    assert f"{tmp_path.name}/page.md:4" == link_location(tmp_path, "page.md", "other.md#nope")
    assert link_location(tmp_path, "page.md", "absent.md") is None
