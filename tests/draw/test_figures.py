"""Each figure against the model state it draws: the SVG is parsed, and its boxes, arrows and
labels are compared with the frames, mappings, events and numbers the simulation holds."""

from __future__ import annotations

import json
import runpy
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from forkdocs.doctools.integrations.inline import FigureError, inline
from forkdocs.kernel.process import Process

from ..helpers import build_site

ROOT = Path(__file__).resolve().parents[2]
FIGURES = sorted((ROOT / "snippets" / "figures").glob("*.py"))
SVG = "{http://www.w3.org/2000/svg}"


def load(name: str) -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "snippets" / "figures" / f"{name}.py"), run_name="figures")


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def marked(root: ElementTree.Element, kind: str) -> list[dict[str, str]]:
    """The attributes of every element drawn for ``kind`` (its data-kind)."""
    return [dict(e.attrib) for e in root.iter() if e.get("data-kind") == kind]


@pytest.mark.parametrize("script", FIGURES, ids=lambda p: p.stem)
def test_every_figure_is_an_accessible_svg_that_follows_the_theme(script: Path) -> None:
    root = parse(runpy.run_path(str(script), run_name="figures")["figure"]())
    assert SVG + "svg" == root.tag and root.get("viewBox")
    assert (root.find(SVG + "title").text or "").strip()  # type: ignore[union-attr]
    assert (root.find(SVG + "desc").text or "").strip()  # type: ignore[union-attr]
    assert not list(root.iter(SVG + "script"))
    colours = [e for e in root.iter() if e.get("fill") or e.get("stroke")]
    assert [] == colours, "colours come from the stylesheet's theme variables only"
    assert "var(--md-default-fg-color" in (root.find(SVG + "style").text or "")  # type: ignore[union-attr]


def check_page_tables(
    svg: str, machine: Any, processes: tuple[Process, ...]
) -> list[dict[str, str]]:
    root = parse(svg)
    mappings, arrows = marked(root, "mapping"), marked(root, "arrow")
    for process in processes:
        assert process.space is not None
        drawn = [
            (int(m["data-vpn"]), int(m["data-pfn"]), int(m["data-pages"]), m["data-access"])
            for m in mappings
            if int(m["data-pid"]) == process.pid
        ]
        assert [tuple(row) for row in process.space.mappings()] == drawn
        assert [row.pfn for row in process.space.mappings()] == [
            int(a["data-pfn"]) for a in arrows if int(a["data-pid"]) == process.pid
        ]
    frames = marked(root, "frames")
    for run in frames:
        start, end = int(run["data-start"]), int(run["data-end"])
        assert {machine.memory.refcount(pfn) for pfn in range(start, end)} == {
            int(run["data-refs"])
        }
    labels = {text.text for text in root.iter(SVG + "text")}
    assert {f"refs {run['data-refs']}" for run in frames} <= labels
    return frames


def test_after_fork_every_frame_is_shared_by_both_page_tables() -> None:
    figure = load("cow_shared")
    m, shell, child = figure["scene"]()
    frames = check_page_tables(figure["figure"](), m, (shell, child))
    assert {"2"} == {run["data-refs"] for run in frames}


def test_after_the_fault_one_frame_each_is_private() -> None:
    figure = load("cow_fault")
    m, shell, child = figure["scene"](write=True)
    frames = check_page_tables(figure["figure"](), m, (shell, child))
    private = [run for run in frames if run["data-refs"] == "1"]
    assert 2 == len(private) and all(
        int(r["data-end"]) - int(r["data-start"]) == 1 for r in private
    )
    assert child.translate(child.heap) // m.page_size in {int(r["data-start"]) for r in private}


def check_strip(svg: str, machine: Any) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    root = parse(svg)
    runs, holes = marked(root, "run"), marked(root, "hole")
    for run in runs:
        start, end = int(run["data-start"]), int(run["data-end"])
        for pfn in (start, end - 1):
            assert run["data-holders"].split() == [
                str(p) for p in machine.holders(pfn * machine.page_size)
            ]
    free = sum(int(h["data-end"]) - int(h["data-start"]) for h in holes)
    assert machine.memory_use().free == free
    return runs, holes


def test_base_length_fork_is_a_second_region_of_the_same_size() -> None:
    figure = load("base_length_copy")
    m, shell, child = figure["scene"]()
    runs, _ = check_strip(figure["figure"](), m)
    sizes = {r["data-holders"]: int(r["data-end"]) - int(r["data-start"]) for r in runs}
    assert sizes[str(shell.pid)] == sizes[str(child.pid)] == shell.space.length // m.page_size  # type: ignore[union-attr]


def test_fragmentation_shows_two_holes_too_small_for_the_copy() -> None:
    figure = load("fragmentation")
    m, a = figure["scene"]()
    _, holes = check_strip(figure["figure"](), m)
    needed = a.space.length // m.page_size  # type: ignore[union-attr]
    assert 2 == len(holes) and all(
        int(h["data-end"]) - int(h["data-start"]) < needed for h in holes
    )


def test_the_copied_pointer_points_into_the_parent() -> None:
    figure = load("nommu_pointer")
    m, shell, copy = figure["scene"]()
    root = parse(figure["figure"]())
    check_strip(figure["figure"](), m)
    (pointer,) = marked(root, "pointer")
    assert int(pointer["data-source"]) == copy.heap
    assert int(pointer["data-target"]) == copy.read_word(copy.heap)
    assert m.holders(int(pointer["data-target"])) == [shell.pid]


def lanes_of(name: str) -> tuple[Any, ElementTree.Element]:
    figure = load(name)
    scene = figure["scene"]()
    return scene, parse(figure["figure"]())


def test_vfork_lanes_show_the_parent_suspended_until_the_childs_exec() -> None:
    (_m, shell, child, events), root = lanes_of("vfork_lanes")
    drawn = [(int(e["data-pid"]), e["data-event"]) for e in marked(root, "event")]
    kinds = ("vfork", "block", "store", "exec", "mm-release", "wake", "exit")
    assert [(e.pid, e.kind) for e in events if e.kind in kinds] == drawn
    assert [str(shell.pid)] == [band["data-pid"] for band in marked(root, "suspended")]
    assert [str(child.pid)] == [arrow["data-child"] for arrow in marked(root, "creates")]
    assert drawn.index((shell.pid, "wake")) > drawn.index((child.pid, "exec"))


def test_without_suspension_nobody_waits_and_the_parent_stores_last() -> None:
    (_m, shell, child, _events, pid_at), root = lanes_of("no_suspend_lanes")
    assert [] == marked(root, "suspended")
    stores = [int(e["data-pid"]) for e in marked(root, "event") if e["data-event"] == "store"]
    assert [child.pid, shell.pid] == stores
    assert child.read_word(pid_at) == child.pid


def test_the_first_fork_lanes_follow_the_trace() -> None:
    (_m, _shell, _child, _events), root = lanes_of("lanes_first_fork")
    drawn = [e["data-event"] for e in marked(root, "event")]
    assert ["fork", "exec", "exit"] == drawn


def test_the_overwritten_return_address_is_the_one_marked() -> None:
    figure = load("return_slot")
    m, shell, spawner, (before, after) = figure["scene"]()
    root = parse(figure["figure"]())
    words = marked(root, "word")
    changed = {int(w["data-address"]) for w in words if w["data-changed"] == "1"}
    assert spawner.return_slot in changed
    assert {a for (a, v), (_, w) in zip(before[1], after[1], strict=True) if v != w} == changed
    labels = {text.text for text in root.iter(SVG + "text")}
    assert m.symbols.label(shell, dict(after[1])[spawner.return_slot]) in labels


def test_the_heap_figure_draws_the_blocks_and_the_broken_list() -> None:
    figure = load("heap_two_frees")
    _m, shell, heap = figure["scene"]()
    root = parse(figure["figure"]())
    blocks, _ = heap.blocks(shell)
    assert [(a, s, int(u)) for a, s, u in blocks] == [
        (int(b["data-address"]), int(b["data-size"]), int(b["data-used"]))
        for b in marked(root, "block")
    ]
    listed, _ = heap.free_list(shell)
    assert listed == [int(link["data-to"]) for link in marked(root, "link")]
    starts = {a for a, _, used in blocks if not used}
    assert [n for n in listed if n not in starts] == [
        int(x["data-address"]) for x in marked(root, "not-a-block")
    ]
    assert heap.problems(shell)


def test_the_cost_chart_draws_the_models_numbers() -> None:
    figure = load("fork_cost_model")
    series = figure["scene"]()
    bars = marked(parse(figure["figure"]()), "bar")
    assert {
        (name, size, float(v))
        for name, values in series.items()
        for size, v in zip(figure["TABLE"]["SIZES"], values, strict=True)
    } == {(b["data-series"], b["data-category"], float(b["data-value"])) for b in bars}


def test_the_real_times_chart_draws_the_measured_file() -> None:
    figure = load("fork_times_real")
    data = json.loads((ROOT / "snippets" / "data" / "fork_times.json").read_text())
    bars = marked(parse(figure["figure"]()), "bar")
    expected = {
        (r["call"], f"{r['size_mib']} MiB", r["return_us_min"])
        for r in data["rows"]
        if r["pages"] == "4k"
    }
    assert expected == {
        (b["data-series"], b["data-category"], float(b["data-value"])) for b in bars
    }


def test_the_cost_table_has_a_row_per_call_and_mmu() -> None:
    table = runpy.run_path(str(ROOT / "snippets" / "tables" / "fork_cost.py"), run_name="tables")
    lines = table["markdown"]().split("\n")
    assert 2 + len(table["COLUMNS"]) == len(lines)
    assert (
        f"| fork, base+length | {table['fork_then_exec']('base+length', '1 MiB', 'fork')} |"
        in lines[3]
    )


def test_inline_puts_the_figure_in_the_page_and_names_a_failing_script(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(
        "print('<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t</title></svg>')\n"
    )
    (tmp_path / "bad.py").write_text("raise RuntimeError('no model')\n")
    page = 'Text\n\n<!-- figure: good.py "A caption" -->\n\n````markdown\n<!-- figure: bad.py -->\n````\n'
    out = inline(page, "docs/p.md", tmp_path)
    assert (
        '<figure class="fd-figure-block" markdown="0">' in out
        and "<figcaption>A caption</figcaption>" in out
    )
    assert "<!-- figure: bad.py -->" in out  # shown as source in a fence: left alone
    with pytest.raises(
        FigureError, match=r"docs/p.md:3: figure script bad.py failed: RuntimeError: no model"
    ):
        inline("Text\n\n<!-- figure: bad.py -->\n", "docs/p.md", tmp_path)


def test_a_failing_figure_stops_the_strict_build_naming_the_page(tmp_path: Path) -> None:
    hooks = ROOT / "forkdocs" / "doctools" / "integrations" / "mkdocs_hooks.py"
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nstrict: true\nhooks:\n  - {hooks}\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# X\n\nText.\n\n<!-- figure: broken.py -->\n")
    (tmp_path / "broken.py").write_text("print('<p>not svg</p>')\n")
    done = build_site(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert 0 != done.returncode
    assert "docs/index.md:5: broken.py: a figure script must print an <svg> document" in done.stderr


def test_a_script_runs_as_python_would_importing_what_lies_beside_it(tmp_path: Path) -> None:
    """Its own folder is first on sys.path while it runs, and sys.exit() is a normal end."""

    (tmp_path / "parts.py").write_text("ROWS = '| a |\\n|---|\\n| 1 |'\n")
    (tmp_path / "t.py").write_text(
        "import sys\nfrom parts import ROWS\n\ndef main():\n    print(ROWS)\n\nsys.exit(main())\n"
    )
    before = list(sys.path)
    page = inline('<!-- table: t.py "Rows" -->\n', "p.md", tmp_path)
    assert "| 1 |" in page and before == sys.path


@pytest.mark.parametrize(
    ("ending", "said"),
    [("sys.exit(1)", r"sys\.exit\(1\)"), ("raise KeyboardInterrupt", "interrupted")],
)
def test_a_script_that_exits_with_a_failure_fails_the_build_naming_the_page(
    tmp_path: Path, ending: str, said: str
) -> None:
    """A build must not end green having built no page: SystemExit and KeyboardInterrupt
    from a script are a FigureError naming page:line, which the hook reports."""

    (tmp_path / "f.py").write_text(f"import sys\nprint('<svg></svg>')\n{ending}\n")
    with pytest.raises(FigureError, match=rf"p\.md:3: figure script f\.py failed: .*{said}"):
        inline('# A page\n\n<!-- figure: f.py "A figure" -->\n', "p.md", tmp_path)
