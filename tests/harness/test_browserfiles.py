"""The Pyodide files of the built site: pinned by sha512, fetched once into a cache, checked
again at every build; the project's wheel built offline by its own backend."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from forkdocs.doctools.integrations.browserfiles import (
    FILES,
    BrowserFilesError,
    Pin,
    build_wheel,
    fetch,
    main,
    python_version,
    tarball,
    unpack,
)

ROOT = Path(__file__).resolve().parents[2]


def package(extra: dict[str, bytes] | None = None, leave_out: str = "") -> bytes:
    """A gzipped npm-style tarball holding the browser files (``package/NAME``)."""
    contents = {name: f"contents of {name}".encode() for name in FILES if name != leave_out}
    contents["pyodide-lock.json"] = json.dumps({"info": {"python": "3.99.1"}}).encode()
    contents.update(extra or {})
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in contents.items():
            member = tarfile.TarInfo(f"package/{name}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def pin_for(data: bytes, source: Path) -> Pin:
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    return Pin("pyodide", "1.2.3", source.as_uri(), f"sha512-{digest}")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FORKDOCS_PYODIDE_CACHE", str(folder))
    return folder


def test_fetch_keeps_a_download_only_when_its_hash_is_the_pinned_one(
    tmp_path: Path, cache: Path
) -> None:
    data = package()
    published = tmp_path / "published.tgz"
    published.write_bytes(data)
    pin = pin_for(data, published)
    published.write_bytes(data + b"tampered")
    with pytest.raises(BrowserFilesError, match=r"its sha512 is .*, not the pinned"):
        fetch(pin)
    assert not tarball(pin).exists()
    published.write_bytes(data)
    assert fetch(pin) == tarball(pin) == cache / "pyodide-1.2.3.tgz"
    published.unlink()  # the second time comes from the cache: no network
    assert fetch(pin).read_bytes() == data


def test_unpack_checks_the_cached_tarball_again_and_copies_the_browser_files(
    tmp_path: Path, cache: Path
) -> None:
    data = package()
    pin = pin_for(data, tmp_path / "nowhere.tgz")
    with pytest.raises(BrowserFilesError, match=r"not in the cache .*run `make pyodide` once"):
        unpack(pin, tmp_path / "site")
    cache.mkdir()
    tarball(pin).write_bytes(data)
    sizes = unpack(pin, tmp_path / "site")
    assert sorted(sizes) == sorted(FILES)
    assert (tmp_path / "site" / "pyodide.mjs").read_bytes() == b"contents of pyodide.mjs"
    assert python_version(tmp_path / "site") == "3.99.1"
    tarball(pin).write_bytes(data + b"tampered")
    with pytest.raises(BrowserFilesError, match="delete it and run `make pyodide` again"):
        unpack(pin, tmp_path / "site")
    short = package(leave_out="pyodide.asm.wasm")
    tarball(pin).write_bytes(short)
    with pytest.raises(BrowserFilesError, match=r"no package/pyodide\.asm\.wasm in it"):
        unpack(pin_for(short, tmp_path / "x"), tmp_path / "site")


def test_a_pin_file_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    path = tmp_path / "pyodide.lock.json"
    path.write_text('{"name": "pyodide", "version": "1"}')
    with pytest.raises(BrowserFilesError, match="not a pin file"):
        Pin.load(path)
    path.write_text(
        json.dumps({"name": "p", "version": "1", "resolved": "u", "integrity": "md5-x"})
    )
    with pytest.raises(BrowserFilesError, match="integrity must be sha512"):
        Pin.load(path)
    assert main([str(path)]) == 1
    assert main([]) == 2


def test_the_projects_pin_names_the_npm_package_and_a_sha512() -> None:
    pin = Pin.load(ROOT / "pyodide.lock.json")
    assert pin.name == "pyodide"
    assert pin.resolved == f"https://registry.npmjs.org/pyodide/-/pyodide-{pin.version}.tgz"
    assert len(base64.b64decode(pin.integrity[len("sha512-") :])) == 64


def test_the_wheel_is_built_by_the_projects_own_backend(tmp_path: Path) -> None:
    wheel = build_wheel(ROOT, tmp_path)
    assert wheel.name.startswith("forkdocs-") and wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "forkdocs/doctools/run/pagerun.py" in names
    assert not any(name.startswith(("tests/", "docs/")) for name in names)
