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
    for ident in ("matrix", "first-approvals", "deals-per-year", "deals-per-molecule"):
        svg = picture(landscape, ident)
        assert svg.get("role") == ("group" if ident == "matrix" else "img")  # the matrix's dots are links
        assert svg.get("aria-labelledby") == f"{ident}-title {ident}-desc"
        assert svg.find(f"{SVG}title").get("id") == f"{ident}-title" and svg.find(f"{SVG}title").text
        assert len(svg.find(f"{SVG}desc").text) > 60
        assert "http" not in ET.tostring(svg, encoding="unicode").replace("http://www.w3.org/2000/svg", "")
    # the pictures stay out of search; the tables that carry their numbers do not
    assert landscape.count('<figure class="digest-figure" data-pagefind-ignore="all">') == 4


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


def test_each_dot_of_the_matrix_leads_to_its_product(landscape: str, shipped_build: tuple[Path, Any]) -> None:
    site = shipped_build[0] / "site"
    matrix = picture(landscape, "matrix")
    links = matrix.findall(f"{SVG}a")
    assert links and len(links) == len(matrix.findall(f".//{SVG}circle"))  # every dot is a link
    for link in links:
        label = link.get("aria-label") or ""
        assert re.fullmatch(r".+, .+: [a-z0-9 -]+", label), label  # "Samsung Bioepis, Adalimumab: launched"
        assert (site / "landscape" / link.get("href") / "index.html").resolve().is_file(), link.get("href")


def test_first_approvals_per_molecule_and_region_agree_with_the_products(landscape: str,
                                                                         shipped_build: tuple[Path, Any]) -> None:
    from digestgen.pipeline import load_catalog

    catalog = load_catalog(shipped_build[0] / "deals")
    first: dict[tuple[str, str], str] = {}
    for product in catalog.products.values():
        for approval in product.approvals:
            key = (catalog.molecules[product.molecule].name, catalog.territories[approval.region.lower()].name)
            first[key] = min(first.get(key, "9999"), approval.date.isoformat())
    section = landscape.split('id="first-approvals-molecule-by-molecule"', 1)[1].split("<h2", 1)[0]
    rows = re.findall(r"<tr>\s*<td><a [^>]*>([^<]+)</a></td>\s*<td><a [^>]*>([^<]+)</a></td>\s*<td>([0-9-]+)</td>",
                      section)
    assert len(rows) == len(first) > 10
    assert all(first[(m, r)] == d for m, r, d in rows)
    dots = picture(landscape, "first-approvals").findall(f".//{SVG}circle")
    assert len(dots) == len(first)


def test_a_reader_reaches_a_product_from_the_matrix_by_keyboard(page: Any, shipped_url: str) -> None:
    page.goto(shipped_url + "landscape/")
    dot = page.locator("svg#matrix a").first
    label = dot.get_attribute("aria-label")
    dot.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label
    page.keyboard.press("Enter")
    page.wait_for_url("**/products/**")
    product = page.locator("h1").inner_text().rstrip("¶").strip()
    assert product in page.title()
    page.go_back()
    page.locator("svg#matrix a").nth(1).click()  # a click works as well
    page.wait_for_url("**/products/**")
