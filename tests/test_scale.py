"""A synthetic digest of 300 deals: long listings split by year, pages that do not grow, a strict build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BIN, make_project, run, site_build
from digestgen import render
from digestgen.pipeline import load_catalog

DEALS = 300


@pytest.fixture(scope="module")
def synth_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("synth")
    result = run([str(BIN / "digestgen"), "synth", "--deals", str(DEALS), "--seed", "3", "--out", "data"], cwd=work)
    assert result.returncode == 0, result.stderr
    project = make_project(work / "project", work / "data")
    build = site_build(project)
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr
    return project / "site"


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


def test_long_deal_listing_is_split_by_year(synth_site: Path) -> None:
    index = (synth_site / "deals" / "index.html").read_text(encoding="utf-8")
    years = sorted({link for link in links(index) if re.fullmatch(r"years/\d{4}/", link)})
    assert len(years) >= 15
    listed: list[str] = []
    for year in years:
        page = (synth_site / "deals" / year / "index.html").read_text(encoding="utf-8")
        listed += [link for link in links(page) if re.fullmatch(r"\.\./\.\./[a-z0-9-]+/", link)]
    deal_pages = {p.parent.name for p in (synth_site / "deals").glob("*/index.html") if p.parent.name != "years"}
    assert len(deal_pages) == DEALS
    assert sorted(link.split("/")[2] for link in listed) == sorted(deal_pages)  # each deal in exactly one year


def test_entity_pages_with_many_deals_link_their_years(synth_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "LISTING_LIMIT", 10)
    catalog = load_catalog(synth_site.parent / "deals")
    pages = render.render_pages(catalog)
    busiest = max(catalog.deals_by_molecule, key=lambda m: len(catalog.deals_by_molecule[m]))
    for uri in ("territories/us.md", f"molecules/{busiest}.md"):
        years = re.findall(r"\[(\d{4})\]\(([a-z0-9-]+/\d{4}\.md)\) \((\d+)\)", pages[uri])
        assert len(years) >= 5, uri
        total = 0
        for year, _link, count in years:
            year_page = pages[uri.removesuffix(".md") + "/" + year + ".md"]
            assert f"]({uri.split('/')[1]})" in year_page.replace("../", "")  # the way back
            total += year_page.count("\n| " + year + "-")
            assert year_page.count("\n| " + year + "-") == int(count)
        assert f"{total} deals. By year:" in pages[uri]


def test_year_pages_stay_out_of_search_and_entity_pages_are_in(synth_site: Path) -> None:
    assert "data-pagefind-body" not in (synth_site / "deals" / "years" / "2016" / "index.html").read_text()
    assert "data-pagefind-body" in (synth_site / "territories" / "us" / "index.html").read_text()
    deal = next(p for p in (synth_site / "deals").glob("*/index.html") if p.parent.name != "years")
    assert "data-pagefind-body" in deal.read_text()


def test_a_deal_page_does_not_grow_with_the_digest(synth_site: Path) -> None:
    for page in list((synth_site / "deals").glob("*/index.html"))[:50]:
        if page.parent.name == "years":
            continue
        other_deals = [link for link in links(page.read_text()) if re.fullmatch(r"\.\./[a-z0-9-]+/", link)]
        assert len(other_deals) < 30, page
