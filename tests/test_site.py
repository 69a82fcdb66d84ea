"""Full MkDocs builds: the fixture site's cross-links, and the shipped data built strictly."""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, make_project, run, site_build


class _Page(HTMLParser):
    """Collects the links and text of a built page's article."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.depth:
            self.tags.append(tag)
            if tag == "a" and attributes.get("href"):
                self.links.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def read_page(site: Path, url: str) -> _Page:
    page = _Page()
    page.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return page


def links_of(site: Path, url: str) -> set[str]:
    """Return the site-relative URLs an article links to, e.g. {'companies/amgen/'}."""
    resolved = set()
    for href in read_page(site, url).links:
        if "://" in href or href.startswith(("#", "mailto:")):
            continue
        target = posixpath.normpath(posixpath.join(url, href.split("#")[0]))
        resolved.add("" if target == "." else target.rstrip("/") + "/")
    return resolved


def test_deal_page_links_every_party_product_molecule_and_territory(fixture_site: Path) -> None:
    site = fixture_site / "site"
    founding = links_of(site, "deals/amgen-daiichi-sankyo-japan-2016")
    assert {"companies/amgen/", "companies/daiichi-sankyo/", "molecules/adalimumab/", "molecules/trastuzumab/",
            "molecules/bevacizumab/", "territories/jp/"} <= founding
    settlement = links_of(site, "deals/abbvie-amgen-humira-settlement-2017")
    assert {"companies/abbvie/", "companies/amgen/", "products/abp-501/", "molecules/adalimumab/",
            "territories/worldwide/"} <= settlement


def assert_entities_link_back(site: Path, deals: list[str]) -> None:
    """Every company, molecule, product and territory page a deal links to links back to it."""
    cache: dict[str, set[str]] = {}
    for deal in deals:
        for target in links_of(site, deal):
            section = target.split("/")[0]
            if section in ("companies", "molecules", "products", "territories") and target.count("/") == 2:
                back = cache.setdefault(target, links_of(site, target.rstrip("/")))
                assert deal + "/" in back, f"{target} does not link back to {deal}"


def test_every_link_from_a_deal_is_answered_by_a_link_back(fixture_site: Path) -> None:
    assert_entities_link_back(fixture_site / "site", ["deals/amgen-daiichi-sankyo-japan-2016",
                                                      "deals/abbvie-amgen-humira-settlement-2017"])


def test_company_page_links_products_molecules_and_partners(fixture_site: Path) -> None:
    amgen = links_of(fixture_site / "site", "companies/amgen")
    assert {"products/abp-501/", "molecules/adalimumab/", "companies/abbvie/", "companies/daiichi-sankyo/",
            "deals/amgen-daiichi-sankyo-japan-2016/", "deals/abbvie-amgen-humira-settlement-2017/"} <= amgen


def test_molecule_and_product_pages_link_both_ways(fixture_site: Path) -> None:
    site = fixture_site / "site"
    assert {"products/abp-501/", "companies/abbvie/"} <= links_of(site, "molecules/adalimumab")
    assert {"molecules/adalimumab/", "companies/amgen/"} <= links_of(site, "products/abp-501")
    assert "products/abp-501/" in links_of(site, "territories/us")


def test_index_pages_list_every_entity(fixture_site: Path) -> None:
    site = fixture_site / "site"
    assert {"deals/amgen-daiichi-sankyo-japan-2016/", "deals/abbvie-amgen-humira-settlement-2017/"} <= \
        links_of(site, "deals")
    assert {"companies/amgen/", "companies/abbvie/", "companies/roche/", "companies/daiichi-sankyo/"} <= \
        links_of(site, "companies")
    assert {"territories/jp/", "territories/us/", "territories/worldwide/"} <= links_of(site, "territories")


def test_home_page_shows_counts_and_latest_deals(fixture_site: Path) -> None:
    home = read_page(fixture_site / "site", "")
    text = " ".join(" ".join(home.text).split())
    assert "Deals Companies Molecules Products Territories 2 4 3 1 3" in text
    assert "deals/abbvie-amgen-humira-settlement-2017/" in links_of(fixture_site / "site", "")


def test_nothing_generated_is_written_into_the_docs_folder(fixture_site: Path) -> None:
    written = {p.relative_to(fixture_site / "content").as_posix() for p in (fixture_site / "content").rglob("*")}
    assert written == {"index.md", "about.md", "methodology.md", "editors.md"}


def test_search_index_is_written_and_material_search_is_not(fixture_site: Path) -> None:
    site = fixture_site / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "fragment").iterdir())
    assert not (site / "search" / "search_index.json").exists()
    assert not (site / "pagefind" / "pagefind-ui.js").exists()


def test_raw_html_in_a_summary_never_becomes_live_html(tmp_path: Path, fixture_site: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(fixture_site, project, ignore=shutil.ignore_patterns("site"))
    deal = project / "deals" / "2016" / "amgen-daiichi-sankyo-japan-2016.yaml"
    deal.write_text(deal.read_text().replace(
        "summary: |\n", "summary: |\n  <script>alert(1)</script> <img src=x onerror=alert(2)>\n"))
    assert site_build(project).returncode == 0
    page = read_page(project / "site", "deals/amgen-daiichi-sankyo-japan-2016")
    assert "script" not in page.tags and "img" not in page.tags
    assert "<script>alert(1)</script>" in "".join(page.text)


def test_bad_data_fails_the_build_and_keeps_the_last_good_site(tmp_path: Path, fixture_site: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(fixture_site, project)
    before = (project / "site" / "index.html").read_bytes()
    deal = project / "deals" / "2016" / "amgen-daiichi-sankyo-japan-2016.yaml"
    deal.write_text(deal.read_text().replace("  - company: amgen\n", "  - company: amgn\n"))
    result = site_build(project)
    assert result.returncode == 1
    assert "deals/2016/amgen-daiichi-sankyo-japan-2016.yaml:6: company 'amgn' not found (did you mean 'amgen'?)" \
        in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert (project / "site" / "index.html").read_bytes() == before


def test_shipped_data_validates(shipped_build) -> None:  # type: ignore[no-untyped-def]
    project, _ = shipped_build
    result = run([str(BIN / "digestgen"), "validate", "deals"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_shipped_data_builds_strictly_with_no_warning(shipped_build) -> None:  # type: ignore[no-untyped-def]
    project, result = shipped_build
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (project / "site" / "deals" / "amgen-daiichi-sankyo-japan-2016" / "index.html").is_file()


def test_every_shipped_deal_is_linked_back_from_what_it_links(shipped_build) -> None:  # type: ignore[no-untyped-def]
    project, result = shipped_build
    assert result.returncode == 0, result.stderr
    site = project / "site"
    deals = sorted(p.parent.relative_to(site).as_posix() for p in (site / "deals").glob("*/index.html"))
    assert len(deals) >= 50
    assert_entities_link_back(site, deals)


def test_a_build_that_fails_late_keeps_the_last_good_site(tmp_path: Path, fixture_site: Path) -> None:
    """Strict mode fails a build only after every page is written: site/ must still be the old one."""
    project = tmp_path / "project"
    shutil.copytree(fixture_site, project)
    before = sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*"))
    (project / "content" / "about.md").write_text("# About\n\nSee [a page that is not there](missing.md).\n")
    result = site_build(project)
    assert result.returncode == 1
    assert "missing.md" in result.stderr
    assert sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*")) == before
    assert sorted(p.name for p in project.iterdir() if "site" in p.name) == ["site"]  # no staging folder left


def test_related_deals_link_real_pages_and_stay_out_of_the_search_text(fixture_site: Path) -> None:
    site = fixture_site / "site"
    html = (site / "deals" / "amgen-daiichi-sankyo-japan-2016" / "index.html").read_text(encoding="utf-8")
    related = html.split('id="related-deals"', 1)[1].split("<h2", 1)[0]
    ignored = related.split("<div data-pagefind-ignore=\"index\">", 1)[1].split("</div>", 1)[0]
    assert "<table>" in ignored and ".md" not in ignored  # MkDocs rewrote the links inside the block
    for href in re.findall(r'href="([^"]+)"', ignored):
        target = posixpath.normpath(posixpath.join("deals/amgen-daiichi-sankyo-japan-2016/", href))
        assert (site / target / "index.html").is_file(), href


@pytest.mark.build
def test_an_updated_deal_is_listed_on_the_home_page_and_leads_the_feed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "base" / "deals")
    deal = project / "deals" / "2016" / "amgen-daiichi-sankyo-japan-2016.yaml"
    deal.write_text(deal.read_text(encoding="utf-8").replace(
        "announced: 2016-07-13\n", "announced: 2016-07-13\nupdated: 2024-03-01\n"), encoding="utf-8")
    result = site_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    home = " ".join(" ".join(read_page(site, "").text).split())
    news, corrected = home.split("Latest news", 1)[1].split("Entries updated lately", 1)
    assert news.index("2017-09-28 : AbbVie") < news.index("2016-07-13 : Amgen licenses nine biosimilars")
    assert "2024-03-01 : Amgen licenses nine biosimilars" in corrected and "announced 2016-07-13" in corrected
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    first = feed.split("<entry>", 2)[1]
    assert "amgen-daiichi-sankyo-japan-2016" in first and "<updated>2024-03-01T00:00:00Z</updated>" in first
    assert "<published>2016-07-13T00:00:00Z</published>" in first
    deal_page = read_page(site, "deals/amgen-daiichi-sankyo-japan-2016/")
    assert "Updated: 2024-03-01" in " ".join(" ".join(deal_page.text).split())
