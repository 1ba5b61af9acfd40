"""Each figure against the model state it draws: the SVG is parsed, and its boxes, arrows and
labels are compared with the frames, mappings, events and numbers the simulation holds.

A figure of a page's own scene (a script with ``draw(page)``) is drawn here as the build
draws it: from the namespace the page's examples leave just before its directive. Tests over
every such figure check that nothing in it can come from another scene: the script makes no
machine and writes no number of its own, and every pid and size the figure names is one the
page's processes have or the page itself states."""

from __future__ import annotations

import ast
import json
import re
import runpy
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from forkdocs.common.units import format_size
from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.inline import FigureError, PageScene, inline
from forkdocs.doctools.integrations.inpage import steps_of
from forkdocs.doctools.run.scripts import draw_the_page, draws_the_page, run_program
from forkdocs.kernel.process import Process

from ..helpers import SITE_EXTENSIONS, build_site

ROOT = Path(__file__).resolve().parents[2]
FIGURES = sorted((ROOT / "snippets" / "figures").glob("*.py"))
PAGE_FIGURES = [script for script in FIGURES if draws_the_page(script)]
SVG = "{http://www.w3.org/2000/svg}"
#: A size as the pages and figures write it ("64 KiB", "6.19 MiB").
SIZE = re.compile(r"\b\d+(?:\.\d+)? [KMG]iB\b")
_DIRECTIVE = re.compile(r"<!-- figure: snippets/figures/(\w+)\.py")


@cache
def _project() -> GuideProject:
    return GuideProject(ROOT / "mkdocs.yml")


@cache
def placed() -> dict[str, tuple[str, int]]:
    """Each figure script's page and the line of its directive there."""
    found = {}
    for path in sorted((ROOT / "docs").rglob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = _DIRECTIVE.match(line.strip())
            if match:
                found[match.group(1)] = (path.relative_to(ROOT).as_posix(), number)
    return found


def scene_of(name: str) -> Mapping[str, Any]:
    """The namespace the page of figure ``name`` leaves just before the figure."""
    page, line = placed()[name]
    return PageScene(page, steps_of(_project().parse(ROOT / page))).at(line)


def draw(name: str) -> tuple[Mapping[str, Any], str]:
    """The page's scene for figure ``name``, and the figure drawn from it."""
    namespace = scene_of(name)
    return namespace, draw_the_page(ROOT / "snippets" / "figures" / f"{name}.py", namespace)


def figure_of(script: Path) -> str:
    """The SVG ``script`` makes, as the build makes it."""
    return draw(script.stem)[1] if draws_the_page(script) else run_program(script)


def load(name: str) -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "snippets" / "figures" / f"{name}.py"), run_name="figures")


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def marked(root: ElementTree.Element, kind: str) -> list[dict[str, str]]:
    """The attributes of every element drawn for ``kind`` (its data-kind)."""
    return [dict(e.attrib) for e in root.iter() if e.get("data-kind") == kind]


def texts(root: ElementTree.Element) -> list[str]:
    """Every text a reader (or a screen reader) gets from the figure: labels, title, desc."""
    return [
        e.text or "" for e in root.iter() if e.tag in (SVG + "text", SVG + "title", SVG + "desc")
    ]


@pytest.mark.parametrize("script", FIGURES, ids=lambda p: p.stem)
def test_every_figure_is_an_accessible_svg_that_follows_the_theme(script: Path) -> None:
    root = parse(figure_of(script))
    assert SVG + "svg" == root.tag and root.get("viewBox")
    assert (root.find(SVG + "title").text or "").strip()  # type: ignore[union-attr]
    assert (root.find(SVG + "desc").text or "").strip()  # type: ignore[union-attr]
    assert not list(root.iter(SVG + "script"))
    colours = [e for e in root.iter() if e.get("fill") or e.get("stroke")]
    assert [] == colours, "colours come from the stylesheet's theme variables only"
    assert "var(--md-default-fg-color" in (root.find(SVG + "style").text or "")  # type: ignore[union-attr]


def test_most_figures_draw_their_pages_own_scene() -> None:
    assert len(PAGE_FIGURES) >= 10, PAGE_FIGURES
    assert {script.stem for script in PAGE_FIGURES} <= set(placed()), "each is on a page"


@pytest.mark.parametrize("script", PAGE_FIGURES, ids=lambda p: p.stem)
def test_a_figure_of_the_page_makes_no_scene_and_writes_no_number_of_its_own(
    script: Path,
) -> None:
    """No machine of its own, and no digit in its text: every number it shows comes from
    the page's objects, so a change to the page's example changes the figure."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert "Machine" not in names, f"{script.name} makes a machine of its own"
    docstring = ast.get_docstring(tree)
    written = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value != docstring
        and re.search(r"\d", node.value)
    ]
    assert [] == written, f"{script.name} writes numbers into its text"


def _pids(namespace: Mapping[str, Any]) -> set[int]:
    """The pids of the processes the page's names hold (directly, or in a list or tuple)."""
    found: set[int] = set()
    for value in namespace.values():
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, Process):
                found.add(item.pid)
    return found


@pytest.mark.parametrize("script", PAGE_FIGURES, ids=lambda p: p.stem)
def test_every_pid_and_size_a_figure_names_is_the_pages(script: Path) -> None:
    namespace, svg = draw(script.stem)
    page, _ = placed()[script.stem]
    words = " ".join(texts(parse(svg)))
    pids = re.findall(r"\b(?:pid|shell|child|parent|copy) (\d+(?:\+\d+)*)", words)
    named = {int(n) for group in pids for n in group.split("+")}
    assert named <= _pids(namespace), (
        f"{script.stem}: names pids {sorted(named)}; the processes of {page} are"
        f" {sorted(_pids(namespace))}"
    )
    page_text = (ROOT / page).read_text(encoding="utf-8")
    sizes = set(re.findall(SIZE, words))
    stated = set(re.findall(SIZE, page_text))
    # a run or hole of memory the figure drew (its frames checked against the machine by
    # check_strip) may be labelled with its own size, which the page need not state
    pieces = marked(parse(svg), "run") + marked(parse(svg), "hole")
    frame = namespace["m"].page_size if pieces else 0
    stated |= {format_size((int(p["data-end"]) - int(p["data-start"])) * frame) for p in pieces}
    assert sizes <= stated, f"{script.stem}: sizes {sorted(sizes - stated)} are not on {page}"


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
    page, svg = draw("cow_shared")
    frames = check_page_tables(svg, page["m"], (page["shell"], page["child"]))
    assert {"2"} == {run["data-refs"] for run in frames}


def test_after_the_fault_one_frame_each_is_private() -> None:
    page, svg = draw("cow_fault")
    m, shell, child = page["m"], page["shell"], page["child"]
    frames = check_page_tables(svg, m, (shell, child))
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
    page, svg = draw("base_length_copy")
    m, shell, child = page["m"], page["shell"], page["child"]
    runs, _ = check_strip(svg, m)
    sizes = {r["data-holders"]: int(r["data-end"]) - int(r["data-start"]) for r in runs}
    assert sizes[str(shell.pid)] == sizes[str(child.pid)] == shell.space.length // m.page_size
    assert f"physical memory, {m.memory.frames * m.page_size // 2**20} MiB" in texts(parse(svg))


def test_fragmentation_shows_two_holes_too_small_for_the_copy() -> None:
    page, svg = draw("fragmentation")
    m, a = page["m"], page["a"]
    _, holes = check_strip(svg, m)
    needed = a.space.length // m.page_size
    assert 2 == len(holes) and all(
        int(h["data-end"]) - int(h["data-start"]) < needed for h in holes
    )


def test_the_copied_pointer_points_into_the_parent() -> None:
    page, svg = draw("nommu_pointer")
    m, shell, copy = page["m"], page["shell"], page["copy"]
    check_strip(svg, m)
    (pointer,) = marked(parse(svg), "pointer")
    assert int(pointer["data-source"]) == copy.heap
    assert int(pointer["data-target"]) == copy.read_word(copy.heap) == page["node"]
    assert m.holders(int(pointer["data-target"])) == [shell.pid]


def drawn_events(root: ElementTree.Element) -> list[tuple[int, str]]:
    return [(int(e["data-pid"]), e["data-event"]) for e in marked(root, "event")]


def test_vfork_lanes_show_the_parent_suspended_until_the_childs_exec() -> None:
    page, svg = draw("vfork_lanes")
    root, shell, child = parse(svg), page["shell"], page["child"]
    events = list(page["m"].trace)[page["mark"] :]
    kinds = ("vfork", "block", "store", "exec", "mm-release", "wake", "exit")
    assert [(e.pid, e.kind) for e in events if e.kind in kinds] == drawn_events(root)
    assert [str(shell.pid)] == [band["data-pid"] for band in marked(root, "suspended")]
    assert [str(child.pid)] == [arrow["data-child"] for arrow in marked(root, "creates")]
    drawn = drawn_events(root)
    assert drawn.index((shell.pid, "wake")) > drawn.index((child.pid, "exec"))
    assert (child.pid, "exit") not in drawn, "the page's child execs; it never calls _exit"


def test_without_suspension_nobody_waits_and_the_second_store_wins() -> None:
    page, svg = draw("no_suspend_lanes")
    root, shell, child, pid_at = parse(svg), page["shell"], page["child"], page["pid_at"]
    assert [] == marked(root, "suspended")
    stores = [pid for pid, kind in drawn_events(root) if kind == "store"]
    assert [shell.pid, child.pid] == stores, "the page's last run lets the parent store first"
    assert shell.read_word(pid_at) == 0
    assert "vfork" in texts(root) and "clone" not in texts(root), "named as the page calls it"


def test_the_first_fork_lanes_follow_the_pages_trace_to_the_reap() -> None:
    page, svg = draw("lanes_first_fork")
    drawn = [kind for _, kind in drawn_events(parse(svg))]
    assert ["fork", "exec", "exit", "reap"] == drawn
    assert f"reaps {page['child'].pid}" in texts(parse(svg))


def test_the_overwritten_return_address_is_the_one_marked() -> None:
    page, svg = draw("return_slot")
    m, shell, spawner = page["m"], page["shell"], page["spawner"]
    words = marked(parse(svg), "word")
    changed = {int(w["data-address"]) for w in words if w["data-changed"] == "1"}
    assert {spawner.return_slot} == changed
    now = shell.read_word(spawner.return_slot)
    assert now == page["now"] != page["saved"]
    labels = texts(parse(svg))
    assert m.symbols.label(shell, now) in labels
    (before,) = marked(parse(svg), "was")
    assert int(before["data-address"]) == spawner.return_slot
    assert m.symbols.label(shell, page["saved"]) in labels


def test_the_heap_figure_draws_the_blocks_and_the_broken_list() -> None:
    page, svg = draw("heap_two_frees")
    shell, heap = page["shell"], page["heap"]
    root = parse(svg)
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
    assert heap.problems(shell) == page["problems"]


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
    # labelled as the page's table rounds them (whole microseconds), so the two agree
    labels = texts(parse(figure["figure"]()))
    assert {f"{value:,.0f}" for *_, value in expected} <= set(labels), labels


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
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nstrict: true\n{SITE_EXTENSIONS}")
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


def test_the_build_draws_a_figure_from_the_pages_own_examples(tmp_path: Path) -> None:
    """The hook runs the page's examples above the figure (hidden ones and doctests too)
    and hands their namespace to ``draw(page)``; one that fails stops the build, naming it."""
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: x\nstrict: true\n{SITE_EXTENSIONS}  - pymdownx.superfences\n"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "fig.py").write_text(
        "def draw(page):\n"
        "    return ('<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t</title><desc>size '\n"
        "            + str(page['size'] * page['scale']) + '</desc></svg>')\n"
    )
    page = tmp_path / "docs" / "index.md"
    page.write_text(
        "# X\n\n```python\nsize = 21\n```\n\n```pycon\n>>> scale = 2\n```\n\n"
        "<!-- figure: fig.py -->\n\n```python\nsize = 0\n```\n"
    )
    done = build_site(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "<desc>size 42</desc>" in (tmp_path / "site" / "index.html").read_text()
    page.write_text(page.read_text().replace("size = 21", "size = 1 / 0"))
    done = build_site(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert 0 != done.returncode
    assert "docs/index.md:11: the figure draws the page's own scene, but the example at" in (
        done.stderr
    )
    assert "docs/index.md:3 failed" in done.stderr and "ZeroDivisionError" in done.stderr
