"""Quality a reader feels, checked in headless Chromium on the shipped site under a sub-path.

axe-core finds no serious or critical accessibility problem on the pages readers see
most, in light and in dark mode; Lighthouse scores those pages at least 95 for
accessibility and for SEO. Both tools come from npm (package.json, installed by
scripts/setup-venv.sh); nothing is fetched while the tests run.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import CHROMIUM, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = ["", "deals/", "deals/?territory=Japan", "deals/amgen-daiichi-sankyo-japan-2016/", "companies/amgen/",
         "molecules/adalimumab/", "products/abp-501/", "territories/jp/", "landscape/", "open-data/", "about/",
         "terms/", "terms/?sort=upfront", "feeds/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_accessibility_problem(browser: Any, shipped_url: str, scheme: str) -> None:
    assert AXE.is_file(), "axe-core is missing: run `make test`, which installs the npm tools"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    problems = []
    try:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        for address in PAGES:
            page.goto(shipped_url + address)
            if address.startswith("deals/?"):
                page.wait_for_selector("[data-deal-filter][data-filter-state=done]")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == \
                ("slate" if scheme == "dark" else "default")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            problems += [(address, v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                         for v in result["violations"] if v["impact"] in ("serious", "critical")]
    finally:
        context.close()
    assert not problems, "\n".join(map(str, problems))
    # offline and under the sub-path: no font, script or picture comes from anywhere else
    outside = [url for url in requested if not url.startswith(shipped_url)]
    assert not outside, outside


@pytest.mark.parametrize("address", ["", "deals/", "deals/amgen-daiichi-sankyo-japan-2016/", "landscape/"])
def test_lighthouse_scores_accessibility_and_seo_at_least_95(shipped_url: str, address: str, tmp_path: Path) -> None:
    assert LIGHTHOUSE.exists(), "Lighthouse is missing: run `make test`, which installs the npm tools"
    result = subprocess.run(
        [str(LIGHTHOUSE), shipped_url + address, "--only-categories=accessibility,seo", "--output=json",
         f"--output-path={tmp_path / 'report.json'}", f"--chrome-path={CHROMIUM}", "--quiet",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
        capture_output=True, text=True, timeout=180, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failing = [(audit["id"], audit["title"]) for audit in report["audits"].values()
               if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"]
    assert scores["accessibility"] >= 0.95 and scores["seo"] >= 0.95, (scores, failing)
