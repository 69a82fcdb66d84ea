"""The landscape page: its pictures are accessible SVG drawn at build time, and agree with the data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from digestgen.catalog import Catalog
from digestgen.contract import PRODUCT_STATUSES
from digestgen.render import MATRIX_COMPANIES, STATUS_ORDER

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def landscape(shipped_build: tuple[Path, Any]) -> str:
    project, build = shipped_build
    assert build.returncode == 0, build.stderr
    return (project / "site" / "landscape" / "index.html").read_text(encoding="utf-8")


def picture(html: str, ident: str) -> ET.Element:
    return ET.fromstring(re.search(rf'<svg class="digest-chart" id="{ident}".*?</svg>', html, re.S).group(0))


def test_every_picture_is_an_image_with_a_title_and_a_description(landscape: str) -> None:
    for ident in ("matrix", "deals-per-year", "deals-per-molecule"):
        svg = picture(landscape, ident)
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{ident}-title {ident}-desc"
        assert svg.find(f"{SVG}title").get("id") == f"{ident}-title" and svg.find(f"{SVG}title").text
        assert len(svg.find(f"{SVG}desc").text) > 60
        assert "http" not in ET.tostring(svg, encoding="unicode").replace("http://www.w3.org/2000/svg", "")
    # the pictures stay out of search; the tables that carry their numbers do not
    assert landscape.count('<figure class="digest-figure" data-pagefind-ignore="all">') == 3


def test_the_pictures_agree_with_the_data(landscape: str, shipped_catalog: Catalog) -> None:
    catalog = shipped_catalog
    per_year = picture(landscape, "deals-per-year")
    stacked = [int(rect.find(f"{SVG}title").text.rsplit(": ", 1)[1]) for rect in per_year.iter(f"{SVG}rect")
               if rect.find(f"{SVG}title") is not None]
    assert sum(stacked) == len(catalog.deals)
    texts = [text.text for text in picture(landscape, "deals-per-molecule").iter(f"{SVG}text")]
    bars = dict(zip(texts[0::2], map(int, texts[1::2]), strict=True))  # each bar: its label, then its count
    assert bars == {catalog.molecules[m].name: len(deals) for m, deals in catalog.deals_by_molecule.items()}
    dots = {(c.find(f"{SVG}title").text.split(": ")[0]) for c in picture(landscape, "matrix").iter(f"{SVG}circle")}
    # the matrix shows the developers with the most biosimilars, as many as it has room for
    developers = sorted({p.developer for p in catalog.products.values()},
                        key=lambda d: (-len(catalog.products_by_developer[d]), catalog.companies[d].name.lower()))
    shown = set(developers[:MATRIX_COMPANIES])
    expected = {f"{catalog.companies[p.developer].name}, {catalog.molecules[p.molecule].name}"
                for p in catalog.products.values() if p.developer in shown}
    assert dots == expected
    note = f"the {MATRIX_COMPANIES} companies with the most biosimilars, of {len(developers)}"
    assert len(developers) <= MATRIX_COMPANIES or note in " ".join(landscape.split())


def test_the_founding_deal_shows_who_commercialises_amgens_biosimilars_where(landscape: str) -> None:
    # the deal names its biosimilars by molecule only; Amgen, their developer, is a party
    rows = landscape.split("<tr>")
    for molecule in ("adalimumab", "trastuzumab", "bevacizumab"):
        row = next(r for r in rows if f'href="../molecules/{molecule}/"' in r and 'href="../companies/amgen/"' in r)
        partners = row.split("</td>")[3]
        assert 'href="../companies/daiichi-sankyo/"' in partners and "Japan" in partners, molecule


def test_every_product_status_has_a_place_and_a_colour() -> None:
    assert set(STATUS_ORDER) == {"not stated", *PRODUCT_STATUSES}
