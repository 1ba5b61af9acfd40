"""Update mode never writes a page that no longer renders or checks: after an update, check
mode passes and only the output blocks changed, byte for byte; what cannot be written is
refused with a message."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from forkdocs.doctools.run.update import PageChanged, Updates, write_atomically

from .inprocess import Page


def update(tmp_path: Path, raw: bytes) -> tuple[bytes, list[str], list[str]]:
    """Run the page at docs/p.md in update mode: its new bytes, the diffs and the refusals;
    then check that check mode passes on it."""
    updates = Updates(root=tmp_path)
    page = Page(tmp_path, "", update=updates)
    page.path.write_bytes(raw)
    page.run()
    diffs, refused = updates.apply()
    if not refused:
        outcomes = Page(tmp_path, page.path.read_bytes().decode()).run()
        assert all(outcome.result == "passed" for outcome in outcomes), outcomes
        assert [] == Page(tmp_path, page.path.read_bytes().decode()).inventory().disagreements
    return page.path.read_bytes(), diffs, refused


def test_printed_fences_widen_the_output_fence(tmp_path: Path) -> None:
    raw = b'```python\nprint("```python\\nx\\n```")\n```\n\n```text title="Output"\nold\n```\n'
    after, _, refused = update(tmp_path, raw)
    assert [] == refused
    assert after.endswith(b'````text title="Output"\n```python\nx\n```\n````\n')


def test_a_doctest_whose_output_has_a_fence_widens_its_fence(tmp_path: Path) -> None:
    after, _, refused = update(tmp_path, b'```pycon\n>>> print("~~~\\n```")\nold\n```\n')
    assert [] == refused
    assert b'````pycon\n>>> print("~~~\\n```")\n~~~\n```\n````\n' == after


def test_a_carriage_return_is_refused_and_the_page_left_alone(tmp_path: Path) -> None:
    raw = b'```python\nprint("50%\\r100%")\n```\n\n```text title="Output"\nold\n```\n'
    after, diffs, refused = update(tmp_path, raw)
    assert raw == after and [] == diffs
    assert "p.md:6: not updated: the output has a carriage return" in refused[0]


@pytest.mark.parametrize("line", ['--8<-- "x.py"', ';--8<-- "x.py"'])
def test_printed_snippet_markers_are_refused_and_the_page_left_alone(
    tmp_path: Path, line: str
) -> None:
    """Written into the page, pymdownx.snippets would include the file, or (the ``;``
    escape) show the marker without its ``;``: either way check mode would then fail."""
    raw = f'```python\nprint({line!r})\n```\n\n```text title="Output"\nold\n```\n'.encode()
    after, diffs, refused = update(tmp_path, raw)
    assert raw == after and [] == diffs
    assert "p.md:6: not updated: the output line" in refused[0], refused
    assert "snippet" in refused[0]


def test_machine_paths_are_written_relative_to_the_project(tmp_path: Path) -> None:
    raw = (
        b"```python\nimport os\nprint(os.path.join(os.path.dirname(__file__), 'x.md'))\n```\n\n"
        b'```text title="Output"\nold\n```\n'
    )
    after, _, _ = update(tmp_path, raw)
    assert b'title="Output"\ndocs/x.md\n```\n' in after
    assert str(tmp_path).encode() not in after


def test_mixed_line_endings_stay_byte_for_byte(tmp_path: Path) -> None:
    raw = b'# T\r\n\nText\r\n```python\r\nprint(1)\nprint(2)\r\n```\n\n```text title="Output"\r\nold\r\n```\n'
    after, _, _ = update(tmp_path, raw)
    assert raw.replace(b"old\r\n", b"1\r\n2\r\n") == after


def test_a_blockquote_output_keeps_its_markers_on_blank_lines(tmp_path: Path) -> None:
    raw = b'> ```python\n> print("a\\n\\nb")\n> ```\n>\n> ```text title="Output"\n> old\n> ```\n'
    after, _, _ = update(tmp_path, raw)
    assert after.endswith(b'> ```text title="Output"\n> a\n>\n> b\n> ```\n')


def test_a_page_changed_just_before_the_rename_is_not_replaced(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_bytes(b"mine\n")
    with pytest.raises(PageChanged):
        write_atomically(page, b"new\n", expect=b"what was read\n", scratch=tmp_path)
    assert b"mine\n" == page.read_bytes()
    assert ["p.md"] == [p.name for p in tmp_path.iterdir()]  # no temporary file left


def test_temporary_files_never_live_in_the_docs_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders: list[str] = []
    real = tempfile.mkstemp

    def watched(*args: object, **kwargs: object) -> tuple[int, str]:
        folders.append(str(kwargs.get("dir")))
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", watched)
    update(tmp_path, b'```python\nprint(1)\n```\n\n```text title="Output"\nold\n```\n')
    assert folders and not any(folder.startswith(str(tmp_path / "docs")) for folder in folders)
