"""The HTML report of `lastmile plan --example --report`: self-contained and renders in a
headless browser (Chromium; the browser part skips where it is not installed)."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import cli
from lastmile_core.errors import InputError
from lastmile_core.report import Report


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan")
    path = out / "report.html"
    argv = [
        "plan",
        "--example",
        "--packages",
        "300",
        "--days",
        "2",
        "--time-limit",
        "60",
        "--max-iterations",
        "100",
    ]
    argv += ["--draws", "3", "--out-dir", str(out), "--report", str(path)]
    assert cli.main(argv) == 0
    return path


def test_report_is_self_contained(report: Path) -> None:
    """Every plot is embedded as a decodable PNG; nothing is fetched from elsewhere."""
    import matplotlib.image as mpimg

    text = report.read_text(encoding="utf-8")
    srcs = re.findall(r'src="([^"]+)"', text)
    assert len(srcs) == 4  # route map, energy per route, SPR vs volume, fleet horizon
    for src in srcs:
        assert src.startswith("data:image/png;base64,")
        img = mpimg.imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), format="png")
        assert img.shape[0] > 100 and img.shape[1] > 100
        assert np.std(img) > 0.01  # not a blank image
    assert "http://" not in text and "https://" not in text
    assert text.count("<table") >= 5  # metrics, three energy tables, the fleet plan
    assert "held-out day" in text


def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    """Chromium parses the page (the DOM has the title, 4 images, the tables) and paints it
    (a screenshot is far from blank)."""
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not installed")
    flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    dom = subprocess.run(
        [*flags, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert "<h1>lastmile plan --example</h1>" in dom
    assert dom.count("<img") == 4 and dom.count("<table") >= 5
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1200,2400", report.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    import matplotlib.image as mpimg

    img = mpimg.imread(shot)
    ink = (img[..., :3].mean(axis=2) < 0.9).mean()
    assert ink > 0.05, f"screenshot nearly blank ({ink:.3f} of pixels inked)"


def test_report_escapes_text_and_checks_paths(tmp_path: Path) -> None:
    rep = Report("a <b> & c").text("<script>x</script>").table(pd.DataFrame({"a": [1.5]}))
    html = rep.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    with pytest.raises(InputError, match="^image"):
        rep.image(tmp_path / "missing.png")
    with pytest.raises(InputError, match="^report"):
        rep.write(tmp_path / "report.txt")
    with pytest.raises(InputError, match="^report"):
        from lastmile_core.fleet import run_example

        run_example(tmp_path, report=tmp_path / "r.pdf")
