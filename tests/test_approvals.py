"""Approvals over time: each molecule page draws its biosimilars' approvals by region and year,
with every approval in a table under the picture."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def built(shipped_build: tuple[Path, Any]) -> tuple[Path, Any]:
    from digestgen.pipeline import load_catalog

    project, build = shipped_build
    assert build.returncode == 0, build.stderr
    return project / "site", load_catalog(project / "deals")


def test_a_molecule_page_shows_every_approval_of_its_biosimilars(built: tuple[Path, Any]) -> None:
    site, catalog = built
    html = (site / "molecules" / "adalimumab" / "index.html").read_text(encoding="utf-8")
    approvals = sorted((a.date.isoformat(), catalog.territories[a.region.lower()].name, p.name)
                       for p in catalog.products_by_molecule["adalimumab"] for a in p.approvals)
    assert len(approvals) >= 10
    svg = ET.fromstring(re.search(r'<svg class="digest-chart" id="approvals".*?</svg>', html, re.S).group(0))
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text == "Approvals of Adalimumab biosimilars over time"
    dots = sorted(c.find(f"{SVG}title").text for c in svg.findall(f".//{SVG}circle"))
    assert dots == sorted(f"{name}, {region}: {date}" for date, region, name in approvals)
    regions = {region for _, region, _ in approvals}
    labels = {t.text for t in svg.findall(f"{SVG}text")}
    assert regions <= labels  # one line per region, named
    section = html.split('id="approvals-over-time"', 1)[1].split("<h2", 1)[0]
    dates = re.findall(r"<tr>\s*<td>(\d{4}-\d{2}-\d{2})</td>", section)
    assert dates == [date for date, _, _ in approvals]  # the table: every approval, oldest first


def test_a_molecule_with_no_dated_approval_says_so(built: tuple[Path, Any]) -> None:
    site, catalog = built
    bare = next(m for m in catalog.molecules.values()
                if not any(p.approvals for p in catalog.products_by_molecule.get(m.id, ())))
    html = (site / "molecules" / bare.id / "index.html").read_text(encoding="utf-8")
    assert "No approval with a regulator's decision date is recorded for its biosimilars yet." in html
    assert 'id="approvals"' not in html
