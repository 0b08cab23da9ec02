"""The C++ layers include only downwards: core <- energy <- search/construct <- meta <- bindings,
metrics on core only (issue 8). Reads the #include lines of every source under cpp/."""

from __future__ import annotations

import re
from pathlib import Path

CPP = Path(__file__).resolve().parents[1] / "cpp"

# What each layer may include (its own directory always). construct builds on search's
# neighbour lists; search does not include construct.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "energy": frozenset({"core", "energy"}),
    "metrics": frozenset({"core", "metrics"}),
    "search": frozenset({"core", "energy", "search"}),
    "construct": frozenset({"core", "energy", "search", "construct"}),
    "meta": frozenset({"core", "energy", "search", "construct", "meta"}),
    "bindings": frozenset({"core", "energy", "search", "construct", "meta", "metrics", "bindings"}),
}
_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)


def upward_includes(root: Path) -> list[str]:
    """Every ``file: include`` of a layer under ``root`` that names a layer it may not use
    (or an unknown top-level directory)."""
    bad: list[str] = []
    for layer, allowed in ALLOWED.items():
        for src in sorted((root / layer).rglob("*")):
            if src.suffix not in (".h", ".hpp", ".cpp", ".cc"):
                continue
            for inc in _INCLUDE.findall(src.read_text(encoding="utf-8")):
                top = inc.split("/", 1)[0] if "/" in inc else layer  # "x.h": same directory
                if top not in allowed:
                    bad.append(f"{src.relative_to(root)}: {inc}")
    return bad


def test_every_layer_directory_exists() -> None:
    assert all((CPP / layer).is_dir() for layer in ALLOWED), sorted(ALLOWED)


def test_no_layer_includes_a_layer_above_it() -> None:
    assert upward_includes(CPP) == []


def test_the_check_finds_an_upward_include(tmp_path: Path) -> None:
    for layer in ALLOWED:
        (tmp_path / layer).mkdir()
    (tmp_path / "core" / "ok.h").write_text('#include "core/units.h"\n#include "ok2.h"\n')
    (tmp_path / "core" / "bad.cpp").write_text('#include <vector>\n#include "energy/route.h"\n')
    (tmp_path / "energy" / "bad.h").write_text('  #  include "search/rng.h"\n')
    (tmp_path / "metrics" / "bad.cpp").write_text('#include "energy/route.h"\n')
    (tmp_path / "search" / "bad.cpp").write_text('#include "meta/solver.h"\n')
    (tmp_path / "meta" / "ok.cpp").write_text('#include "construct/construct.h"\n')
    assert upward_includes(tmp_path) == [
        "core/bad.cpp: energy/route.h",
        "energy/bad.h: search/rng.h",
        "metrics/bad.cpp: energy/route.h",
        "search/bad.cpp: meta/solver.h",
    ]


def test_no_source_file_over_600_lines() -> None:
    """The project rule: files follow concepts, none over 600 lines (C++, Python, stubs)."""
    root = Path(__file__).resolve().parents[1]
    long = []
    for pattern in ("cpp/**/*.cpp", "cpp/**/*.h", "python/**/*.py", "python/**/*.pyi"):
        for f in root.glob(pattern):
            n = len(f.read_text(encoding="utf-8").splitlines())
            if n > 600:
                long.append(f"{f.relative_to(root)}: {n}")
    assert not long, long
