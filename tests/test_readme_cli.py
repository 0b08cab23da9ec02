"""The README's command-line section, run literally in an empty directory: every step exits 0
on the files of the steps before it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_cli_block() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Command line") :]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S)
    assert block is not None, "the Command line section has no ```bash block"
    lines = [ln.split("  #")[0].strip() for ln in block.group(1).splitlines()]
    return [ln for ln in lines if ln]


@pytest.mark.slow
def test_readme_command_line_runs_step_by_step(tmp_path: Path) -> None:
    lines = readme_cli_block()
    assert all(ln.startswith("lastmile ") for ln in lines)
    exe = shutil.which("lastmile")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for line in lines:
        argv = line.split()
        # the installed script when there is one; else the same entry point from this checkout
        cmd = [exe, *argv[1:]] if exe else [sys.executable, "-m", "lastmile_core.cli", *argv[1:]]
        proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        assert "Traceback" not in proc.stderr, f"{line}\n{proc.stderr[-2000:]}"
    sample = tmp_path / "sample"
    for name in (
        "routes.parquet",
        "metrics.csv",
        "energy.csv",
        "model.json",
        "prediction.csv",
        "model_next.json",
        "drift.csv",
        "plan.csv",
        "ev_plan.csv",
        "scenarios.csv",
        "report.html",
    ):
        assert (sample / name).stat().st_size > 0, name


def test_readme_block_is_found_and_every_subcommand_has_help() -> None:
    """Each subcommand the README uses answers -h (exit 0)."""
    from lastmile_core import cli

    subs = {tuple(ln.split()[1:3]) for ln in readme_cli_block()}
    for sub in sorted(subs):
        parts = [sub[0]] + ([sub[1]] if sub[0] in ("spr", "fleet") else [])
        with pytest.raises(SystemExit) as exc:
            cli.main([*parts, "-h"])
        assert exc.value.code == 0, parts
