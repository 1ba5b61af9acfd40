"""A project's ``mkdocs.yml``, read the way MkDocs reads it, without MkDocs installed.

The harness needs three things from the site's configuration: where the pages are
(``docs_dir``), the Markdown extensions with their options (to render pages exactly as the
site does), and the ``pymdownx.snippets`` settings (to expand includes). A project that
builds with a MkDocs-compatible tool must still be able to test its pages, so the file is
read with PyYAML's full loader, as MkDocs reads it (the same trust: it may name Python
objects), with the tags and the key MkDocs adds:

- ``!ENV NAME`` / ``!ENV [NAME, OTHER, default]``: the first variable that is set, else the
  default (as ``pyyaml_env_tag`` does);
- ``!relative $config_dir`` / ``!relative $docs_dir``, optionally followed by ``/a/path``:
  that folder, or that path below it (a bare ``!relative``, the folder of the page being
  rendered, is refused with a message: the harness renders pages outside MkDocs and cannot
  know it for every option; another ``$prefix`` is an error, as in MkDocs);
- ``!!python/name:module.attr``: that object, imported (a clear error when it cannot be);
- ``INHERIT: parent.yml``: that file's settings, deep-merged under this one's (dictionaries
  merged, anything else replaced), as MkDocs merges them.

MkDocs always puts ``toc``, ``tables`` and ``fenced_code`` before the listed extensions;
`extensions` does the same. It leaves out the harness's own build-time extensions
(`BUILD_ONLY`): they put figures and Run marks into the built page, draw no code block, and
would run the page's scripts inside the harness's renderer.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forkdocs.doctools.errors import PageError

if TYPE_CHECKING:
    import yaml

#: Extensions MkDocs loads before the project's own (mkdocs/config/defaults.py).
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
#: The harness's extensions that only a site build runs.
BUILD_ONLY = ("forkdocs.doctools.integrations.inline", "forkdocs.doctools.integrations.inpage")


class ConfigError(PageError, ValueError):
    """A mkdocs.yml the harness cannot read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Relative:
    """A ``!relative`` value not yet resolved: ``base`` is ``$config_dir``, ``$docs_dir`` or
    ``""`` (the page's folder); ``suffix`` the path below it (``""``: the folder itself)."""

    base: str
    suffix: str = ""


@dataclass
class Reading:
    """A ``mkdocs.yml`` as read: its ``settings`` (``INHERIT`` merged, ``!relative`` values
    not yet resolved), and what they were made from: the ``files`` read (path -> SHA-256 of
    their bytes) and the ``environment`` variables ``!ENV`` consulted (name -> value, None
    when unset). Reading again gives the same settings while those are unchanged."""

    settings: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str | None] = field(default_factory=dict)

    def is_current(self) -> bool:
        """True while every file read has the same bytes and every variable the same value."""
        for name, value in self.environment.items():
            if os.environ.get(name) != value:
                return False
        for name, digest in self.files.items():
            try:
                if hashlib.sha256(Path(name).read_bytes()).hexdigest() != digest:
                    return False
            except OSError:
                return False
        return True


def _loader(path: Path, reading: Reading) -> Any:
    import yaml  # only when a file is read: about 11 ms to import, which a cached run skips

    class Loader(yaml.Loader):  # type: ignore[misc]
        """The loader MkDocs uses, with its tags, for this file only."""

    def env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            names, default = [loader.construct_scalar(node)], None
        else:
            items = loader.construct_sequence(node)
            names, default = items[:-1], items[-1] if len(items) > 1 else None
        for name in names:
            value = reading.environment[str(name)] = os.environ.get(str(name))
            if value is not None:
                return yaml.safe_load(value)
        return default

    def relative(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        value = str(loader.construct_scalar(node)).strip()
        prefix, _, suffix = value.partition("/")
        if not prefix.startswith("$"):
            return Relative("", value)
        if prefix not in ("$config_dir", "$docs_dir"):
            raise ConfigError(
                f"{path}:{node.start_mark.line + 1}: unknown prefix {prefix!r} in !relative"
                f" {value!r} (MkDocs knows $config_dir and $docs_dir)"
            )
        return Relative(prefix, suffix)

    def python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        module, _, attribute = suffix.rpartition(".")
        try:
            return getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as error:
            mark = node.start_mark
            raise ConfigError(
                f"{path}:{mark.line + 1}: !!python/name:{suffix} cannot be imported ({error});"
                " install the package that provides it"
            ) from None

    Loader.add_constructor("!ENV", env)
    Loader.add_constructor("!relative", relative)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", python_name)
    return Loader


@dataclass
class SiteConfig:
    """What the harness uses of one ``mkdocs.yml``.

    ``extensions`` lists extension names in MkDocs' order, ``options`` their settings
    (``!relative`` values resolved); ``docs_dir`` is absolute; ``settings`` is the whole
    file, as read (``nav``, ``site_url`` ...).
    """

    path: Path
    docs_dir: Path
    extensions: list[str] = field(default_factory=list)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> SiteConfig:
        """Read ``path``; a file that is not a mapping, or an extension entry that is neither
        a name nor ``{name: options}``, is a [`ConfigError`][forkdocs.doctools.grammar.siteconfig.ConfigError] naming the file."""
        return cls.from_reading(path, read(path))

    @classmethod
    def from_reading(cls, path: Path, reading: Reading) -> SiteConfig:
        """The configuration at ``path`` from a [`read()`][forkdocs.doctools.grammar.siteconfig.read]
        of it (its extension entries checked, its ``!relative`` values resolved)."""
        path = path.resolve()
        raw = reading.settings
        docs_dir = (path.parent / str(raw.get("docs_dir", "docs"))).resolve()
        config = cls(path, docs_dir, settings=raw)
        for entry in [*MKDOCS_BUILTINS, *(raw.get("markdown_extensions") or [])]:
            options: dict[str, Any]
            if isinstance(entry, str):
                name, options = entry, {}
            elif isinstance(entry, dict) and len(entry) == 1:
                name, options = next(iter(entry.items()))
                options = dict(options or {})
            else:
                raise ConfigError(f"{path}: markdown_extensions: cannot read entry {entry!r}")
            if name in BUILD_ONLY:
                continue
            if name not in config.extensions:
                config.extensions.append(name)
            config.options[name] = {**config.options.get(name, {}), **options}
        config.options = {n: config._resolved(o, n) for n, o in config.options.items()}
        resolve_snippet_bases(config.options, path.parent)
        return config

    def _resolved(self, value: Any, where: str) -> Any:
        if isinstance(value, Relative):
            if value.base in ("$config_dir", "$docs_dir"):
                folder = self.path.parent if value.base == "$config_dir" else self.docs_dir
                return str(folder / value.suffix) if value.suffix else str(folder)
            raise ConfigError(
                f"{self.path}: {where}: a bare !relative (the folder of each page) is not"
                " supported by the harness; write !relative $config_dir or !relative $docs_dir"
            )
        if isinstance(value, dict):
            return {k: self._resolved(v, where) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolved(v, where) for v in value]
        return value

    def fingerprint(self) -> str:
        """A digest of the rendering settings (for caches keyed by what they affect)."""
        text = json.dumps([self.extensions, self.options], sort_keys=True, default=_name_of)
        return hashlib.sha256(text.encode()).hexdigest()

    def digest(self) -> str:
        """A digest of everything read: the file's place, every setting, the extensions and
        their resolved options (for caches keyed by anything the configuration decides)."""
        text = json.dumps(
            [str(self.path), str(self.docs_dir), self.settings, self.extensions, self.options],
            sort_keys=True,
            default=_name_of,
        )
        return hashlib.sha256(text.encode()).hexdigest()


def read(path: Path) -> Reading:
    """Read the ``mkdocs.yml`` at ``path`` (and the files it inherits from), as MkDocs does."""
    path = path.resolve()
    reading = Reading({})
    reading.settings = _settings(path, path, reading)
    return reading


def _settings(
    path: Path, config: Path, reading: Reading, seen: tuple[Path, ...] = ()
) -> dict[str, Any]:
    """The settings of ``path`` (``config`` itself, or a file it inherits from), with the
    files it ``INHERIT``s merged under them; the files read are noted in ``reading``."""
    import yaml

    if path in seen:
        raise ConfigError(f"{config}: INHERIT goes round in a circle through {path}")
    try:
        data = path.read_bytes()
        reading.files[str(path)] = hashlib.sha256(data).hexdigest()
        raw = yaml.load(data.decode("utf-8"), Loader=_loader(config, reading))
    except OSError as error:
        raise ConfigError(f"{config}: cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    parent = raw.pop("INHERIT", None)
    if parent is None:
        return raw
    inherited = _settings((path.parent / str(parent)).resolve(), config, reading, (*seen, path))
    return _merged(inherited, raw)


def _merged(below: dict[str, Any], above: dict[str, Any]) -> dict[str, Any]:
    """``above`` deep-merged over ``below``: dictionaries merged key by key, other values of
    ``above`` replacing those of ``below`` (mergedeep's default, which MkDocs uses)."""
    merged = dict(below)
    for key, value in above.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def resolve_snippet_bases(options: dict[str, Any], root: Path) -> None:
    """Make the ``pymdownx.snippets`` base paths in ``options`` (extension name -> its
    settings) absolute, a relative one taken against ``root``, the folder of mkdocs.yml: what
    the harness reads and what the project's MkDocs hook builds agree, from any working
    directory."""
    snippets = options.get("pymdownx.snippets")
    if snippets is not None:
        bases = snippets.get("base_path", ["."])
        bases = [bases] if isinstance(bases, str | os.PathLike) else bases
        snippets["base_path"] = [str(root / base) for base in bases]


def _name_of(value: Any) -> str:
    """A stable name for an option value JSON cannot hold (a function named by
    ``!!python/name``): its module and qualified name, not its address."""
    return (
        f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    )
