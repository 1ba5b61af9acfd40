"""Run by ``make check-wheel`` with the Python of a fresh virtualenv that has only the built
wheel and its ``harness`` extra installed: a scratch MkDocs project (docs_dir: guide, one
snippet) is tested with the harness, without MkDocs installed. Exits non-zero on failure."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

MKDOCS_YML = """\
site_name: wheel check
docs_dir: guide
markdown_extensions:
  - admonition
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
"""
PAGE = """\
# Check

```python
--8<-- "examples/add.py"
assert add(2, 3) == 5
```

!!! note

    ```pycon
    >>> add(1, 1)
    2
    ```
"""


def main() -> int:
    if importlib.util.find_spec("mkdocs") is not None:
        print("wheel check: MkDocs is installed; the check needs a virtualenv without it")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "guide").mkdir()
        (root / "examples").mkdir()
        (root / "mkdocs.yml").write_text(MKDOCS_YML)
        (root / "conftest.py").write_text(
            'pytest_plugins = ["forkdocs.doctools.integrations.plugin"]\n'
        )
        (root / "examples" / "add.py").write_text("def add(a, b):\n    return a + b\n")
        (root / "guide" / "index.md").write_text(PAGE)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--docs-strict"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        print(done.stdout[-2000:])
        if done.returncode != 0 or "doc examples: 2 run (2 passed" not in done.stdout:
            return 1
    print("wheel check: the installed harness ran a foreign project's pages without MkDocs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
