"""The package's public surface matches the README, from a fresh interpreter."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import lastmile_core

README = Path(__file__).resolve().parents[1] / "README.md"


def _fresh(code: str) -> str:
    """Runs ``code`` in a new interpreter (nothing imported by other tests) and returns stdout."""
    env_path = str(Path(lastmile_core.__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": ""},
    )
    return out.stdout


def test_every_name_the_readme_uses_off_the_package_exists():
    """Regression (issue 8): `import lastmile_core as lm; lm.io.read_vrplib(...)` failed because
    io was not imported by the package. Every `lm.X` / `lastmile_core.X.Y` the README names
    resolves after a bare `import lastmile_core as lm`."""
    text = README.read_text()
    dotted = set(re.findall(r"\b(?:lm|lastmile_core)((?:\.\w+)+)", text))
    paths = sorted({p.lstrip(".") for p in dotted if not p.startswith("._core")})
    assert "io.read_vrplib" in paths and "reference.solve_ortools" in paths
    code = (
        "import json, functools, lastmile_core as lm\n"
        f"paths = {paths!r}\n"
        "missing = []\n"
        "for p in paths:\n"
        "    try:\n"
        "        functools.reduce(getattr, p.split('.'), lm)\n"
        "    except AttributeError:\n"
        "        missing.append(p)\n"
        "print(json.dumps(missing))\n"
    )
    assert json.loads(_fresh(code)) == []


def test_modules_of_the_readme_are_attributes_and_heavy_deps_stay_lazy():
    code = (
        "import json, sys, lastmile_core as lm\n"
        "mods = ['io', 'examples', 'metrics', 'energy', 'reference', 'spr', 'fleet', 'plotting',"
        " 'errors', 'geo']\n"
        "print(json.dumps({'missing': [m for m in mods if not hasattr(lm, m)],"
        " 'ortools': 'ortools' in sys.modules, 'matplotlib': 'matplotlib' in sys.modules,"
        " 'all': sorted(set(lm.__all__) - set(dir(lm)))}))\n"
    )
    got = json.loads(_fresh(code))
    assert got == {"missing": [], "ortools": False, "matplotlib": False, "all": []}
