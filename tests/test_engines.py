"""One build, two engines: MkDocs with Material and Zensical make the same site from the same data.

The reader, link, accessibility and search tests run on both sites (the `engine` fixture in
conftest.py); these tests compare the two sites directly.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import BIN, ROOT, run, search, serve_site, shipped_site

# What one engine writes and the other does not, beside the pages: MkDocs gzips its sitemap.
ENGINE_FILES = {"mkdocs": {"sitemap.xml.gz"}, "zensical": set()}


class _ContentLinks(HTMLParser):
    """The links inside a page's article: what the page itself says, not the theme around it."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "article"
        href = dict(attrs).get("href")
        if self.depth and tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "article"


def content_links(site: Path, page: str) -> list[str]:
    """The page's links, each resolved to the address it leads to from the site's root (engines may
    spell one link two ways: `companies/x.xml` and `../feeds/companies/x.xml` from `feeds/`)."""
    parser = _ContentLinks()
    parser.feed((site / page).read_text(encoding="utf-8"))
    here = posixpath.dirname(page)
    return [href if "://" in href or href.startswith(("#", "mailto:"))
            else posixpath.normpath(posixpath.join(here, href)) + ("/" if href.endswith("/") else "")
            for href in parser.links]


def site_files(site: Path) -> set[str]:
    """Every file of a built site but the theme's assets and the search index's chunks."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*")
            if p.is_file() and not p.relative_to(site).as_posix().startswith(("assets/", "pagefind/"))}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both engines' sites, whichever DIGEST_TEST_ENGINES names: comparing them is the point."""
    built = {}
    for engine in ("mkdocs", "zensical"):
        project, result = shipped_site(tmp_path_factory, engine)
        assert result.returncode == 0, result.stderr
        built[engine] = project / "site"
    return built


@pytest.mark.build
def test_both_engines_build_the_same_pages_downloads_and_links(sites: dict[str, Path]) -> None:
    files = {engine: site_files(site) - ENGINE_FILES[engine] for engine, site in sites.items()}
    assert files["mkdocs"] == files["zensical"]
    pages = sorted(f for f in files["mkdocs"] if f.endswith(".html"))
    assert len(pages) > 500 and {"feed.xml", "data/deals.json", "schema/deal.schema.json"} <= files["mkdocs"]
    for page in pages:
        assert content_links(sites["mkdocs"], page) == content_links(sites["zensical"], page), page
    for engine, site in sites.items():
        assert (site / "pagefind" / "pagefind.js").is_file(), engine
        assert not (site / "search.json").exists() and not (site / "search").exists()  # only Pagefind searches
        for download in ("feed.xml", "data/deals.json"):
            assert (site / download).read_bytes() == (sites["mkdocs"] / download).read_bytes()


@pytest.mark.build
def test_the_footer_names_the_engine_that_built_the_page(sites: dict[str, Path]) -> None:
    names = {"mkdocs": "Built with MkDocs and Material for MkDocs.", "zensical": "Built with Zensical."}
    for engine, name in names.items():
        footer = (sites[engine] / "index.html").read_text(encoding="utf-8").split('class="md-copyright"', 1)[1]
        assert name in " ".join(footer.split()), engine


@pytest.mark.build
def test_an_engine_is_chosen_by_name_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    result = run([str(BIN / "digestgen"), "build", "--engine", "hugo"], cwd=ROOT)
    assert result.returncode == 2 and "invalid choice: 'hugo'" in result.stderr


def test_index_adds_search_to_a_site_built_without_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "deals").mkdir(parents=True)
    (site / "index.html").write_text("<html lang=en><body><main data-pagefind-body><h1>Digest</h1>"
                                     "<p>adalimumab</p></main></body></html>")
    result = run([str(BIN / "digestgen"), "index", str(site)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"indexed 1 pages of {site}" in result.stdout and (site / "pagefind" / "pagefind.js").is_file()


def test_the_search_panel_sits_under_the_header_on_both_engines(browser: Any, sites: dict[str, Path]) -> None:
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for engine, site in sites.items():
        with serve_site(site) as url:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url)
            assert search(page, "adalimumab"), engine
            panel = page.locator(".md-search__output").bounding_box()
            header = page.locator(".md-header").bounding_box()
            assert header["height"] < 100, engine  # the header holds the box; results do not push it open
            assert panel["y"] >= header["y"] + 20 and panel["y"] < header["y"] + header["height"], engine
            assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 1280, engine
            assert panel["y"] + panel["height"] <= 900, engine
            assert page.locator(".md-search-result__item").first.is_visible()
            page.screenshot(path=str(shots / f"search-{engine}.png"))
            context.close()
