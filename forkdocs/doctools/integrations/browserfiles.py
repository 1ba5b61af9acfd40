"""The files a built site serves so its examples run in the reader's browser: Pyodide (CPython
compiled to WebAssembly) and the project's own wheel. Nothing is fetched from another host
when the site is read.

Pyodide comes from its npm package, at the version and integrity hash a *pin file* records
(``pyodide.lock.json`` beside ``mkdocs.yml``, in the form of an npm lock entry)::

    {"name": "pyodide", "version": "314.0.7",
     "resolved": "https://registry.npmjs.org/pyodide/-/pyodide-314.0.7.tgz",
     "integrity": "sha512-..."}

[`fetch()`][forkdocs.doctools.integrations.browserfiles.fetch] downloads the tarball once into a cache
outside the project (``FORKDOCS_PYODIDE_CACHE``, else ``$XDG_CACHE_HOME/forkdocs/pyodide``,
else ``~/.cache/forkdocs/pyodide``) and keeps it only if its hash matches;
``make pyodide`` runs it (``python -m forkdocs.doctools.integrations.browserfiles PIN``). At every build,
[`unpack()`][forkdocs.doctools.integrations.browserfiles.unpack] checks the hash again and copies the
files the browser needs into the site, and
[`build_wheel()`][forkdocs.doctools.integrations.browserfiles.build_wheel] builds the project's wheel
with its own build backend (no network: the backend must be installed).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from forkdocs.doctools.errors import PageError

#: What the browser loads from the package (``package.json`` carries its licence, MPL-2.0).
FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    "package.json",
)


class BrowserFilesError(PageError, RuntimeError):
    """A pin file that cannot be read, a tarball that is missing or does not match its
    hash, or a wheel that does not build; the message says which and what to do."""


@dataclass(frozen=True)
class Pin:
    """One pinned npm package: its ``name``, ``version``, tarball address (``resolved``) and
    ``integrity`` (``sha512-`` and the base64 digest, as npm records it)."""

    name: str
    version: str
    resolved: str
    integrity: str

    @classmethod
    def load(cls, path: Path) -> Pin:
        """The pin in the JSON file at ``path``."""
        try:
            fields = json.loads(path.read_text(encoding="utf-8"))
            pin = cls(
                **{key: str(fields[key]) for key in ("name", "version", "resolved", "integrity")}
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise BrowserFilesError(f"{path}: not a pin file ({error!r})") from None
        if not pin.integrity.startswith("sha512-"):
            raise BrowserFilesError(f"{path}: integrity must be sha512-..., not {pin.integrity!r}")
        return pin

    def check(self, data: bytes, source: str) -> None:
        """Raise unless ``data`` (read from ``source``) has the pinned hash."""
        digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
        if f"sha512-{digest}" != self.integrity:
            raise BrowserFilesError(
                f"{source}: its sha512 is {digest}, not the pinned {self.integrity[7:]};"
                " delete it and run `make pyodide` again"
            )


def cache_folder() -> Path:
    """Where fetched tarballs are kept (not in the project: every checkout shares it)."""
    configured = os.environ.get("FORKDOCS_PYODIDE_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "forkdocs" / "pyodide"


def tarball(pin: Pin) -> Path:
    """The cached tarball of ``pin`` (it may not exist yet)."""
    return cache_folder() / f"{pin.name}-{pin.version}.tgz"


def fetch(pin: Pin) -> Path:
    """The tarball of ``pin`` in the cache, downloaded first if it is not there; a download
    whose hash differs from the pin is not kept."""
    target = tarball(pin)
    if target.is_file():
        pin.check(target.read_bytes(), str(target))
        return target
    with urllib.request.urlopen(pin.resolved, timeout=120) as response:
        data = response.read()
    pin.check(data, pin.resolved)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as partial:
        partial.write(data)
    os.replace(partial.name, target)
    return target


def unpack(pin: Pin, destination: Path) -> dict[str, int]:
    """Check the cached tarball of ``pin`` and copy its browser files (`FILES`) into
    ``destination``; their sizes by name."""
    source = tarball(pin)
    try:
        data = source.read_bytes()
    except OSError:
        raise BrowserFilesError(
            f"Pyodide {pin.version} is not in the cache ({source}); run `make pyodide` once"
            " (it downloads the pinned npm package), then build again"
        ) from None
    pin.check(data, str(source))
    destination.mkdir(parents=True, exist_ok=True)
    sizes = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for name in FILES:
            try:
                member = archive.extractfile(f"package/{name}")
            except KeyError:
                member = None
            if member is None:
                raise BrowserFilesError(f"{source}: no package/{name} in it")
            content = member.read()
            (destination / name).write_bytes(content)
            sizes[name] = len(content)
    return sizes


def python_version(unpacked: Path) -> str:
    """The Python version of the Pyodide [`unpack()`][forkdocs.doctools.integrations.browserfiles.unpack]
    put in ``unpacked`` (from its lock file's ``info``)."""
    lock = json.loads((unpacked / "pyodide-lock.json").read_text(encoding="utf-8"))
    return str(lock["info"]["python"])


def build_wheel(project: Path, destination: Path) -> Path:
    """The project's wheel, built into ``destination`` by the build backend its
    ``pyproject.toml`` names (installed in this Python; nothing is downloaded)."""
    import tomllib

    system = tomllib.loads((project / "pyproject.toml").read_text())["build-system"]
    backend = system["build-backend"]
    destination.mkdir(parents=True, exist_ok=True)
    code = (
        "import importlib, sys; "
        f"print(importlib.import_module({backend!r}).build_wheel(sys.argv[1]))"
    )
    built = subprocess.run(
        [sys.executable, "-c", code, str(destination)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode:
        raise BrowserFilesError(
            f"building the wheel of {project} with {backend} failed"
            f" (is it installed? pip install {' '.join(system['requires'])}):\n{built.stderr[-2000:]}"
        )
    return destination / built.stdout.strip().splitlines()[-1]


def install(project: Path, pin_file: Path, site_assets: Path) -> dict[str, str]:
    """Pyodide (checked against ``pin_file``) and the wheel of ``project`` into
    ``site_assets``, with ``forkdocs.json`` naming them for the page's runner; its content."""
    pin = Pin.load(pin_file)
    unpack(pin, site_assets)
    for old in site_assets.glob("*.whl"):
        old.unlink()
    wheel = build_wheel(project, site_assets)
    index = {"pyodide": pin.version, "python": python_version(site_assets), "wheel": wheel.name}
    (site_assets / "forkdocs.json").write_text(json.dumps(index))
    return index


def main(argv: list[str]) -> int:
    """``python -m forkdocs.doctools.integrations.browserfiles PIN_FILE``: fetch the pinned tarball."""
    if len(argv) != 1:
        print(
            "usage: python -m forkdocs.doctools.integrations.browserfiles PIN_FILE", file=sys.stderr
        )
        return 2
    try:
        pin = Pin.load(Path(argv[0]))
        path = fetch(pin)
    except (BrowserFilesError, OSError) as error:
        print(f"pyodide: {error}", file=sys.stderr)
        return 1
    print(f"{pin.name} {pin.version}: {path} (sha512 checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
