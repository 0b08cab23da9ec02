"""The README's Python quick start runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_two_setup_commands():
    """The first block holds exactly the two set-up commands (install+example, install+tests)."""
    text = README.read_text()
    first = re.search(r"```bash\n(.*?)```", text, re.S)
    assert first is not None and text.startswith("```bash")
    lines = [ln for ln in first.group(1).splitlines() if ln.strip()]
    assert len(lines) == 2
    assert re.search(r"pip install (--\S+ )*\.( |$)", lines[0]) and "lastmile" in lines[0]
    assert '".[test]"' in lines[1] and "pytest" in lines[1]
    # CI runs the same commands (quietly)
    ci = (README.parent / ".ci" / "run").read_text()
    for line in lines:
        assert line.replace("pip install ", "pip install -q ") in ci, line


def test_readme_python_quick_start_runs(capsys):
    """Executes every ```python block of the README, in order, in one namespace."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) >= 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "True" in out  # report.feasible
