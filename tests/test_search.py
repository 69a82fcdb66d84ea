"""Search in a real browser: Pagefind's index, the header search box, under a sub-path, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import mkdocs_serve, search, serve_site


@pytest.fixture(scope="module")
def site_url(fixture_site: Path) -> Any:
    with serve_site(fixture_site / "site") as url:
        yield url


@pytest.mark.parametrize(("words", "page_url"), [
    ("Humira", "molecules/adalimumab/"),
    ("Daiichi Sankyo", "companies/daiichi-sankyo/"),
    ("Daiichi Sankyo Company, Limited", "companies/daiichi-sankyo/"),
    ("ABP 501", "products/abp-501/"),
    ("Amjevita", "products/abp-501/"),
    ("Japan", "territories/jp/"),
    ("Japan", "deals/amgen-daiichi-sankyo-japan-2016/"),
])
def test_header_search_finds_entity_pages(page: Any, site_url: str, words: str, page_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "deals/amgen-daiichi-sankyo-japan-2016/")
    found = search(page, words)
    addresses = [href for _, href in found]
    assert any(href.endswith("/digest/" + page_url) for href in addresses), found
    assert all(title and "¶" not in title for title, _ in found)
    # offline and under the sub-path: nothing is asked of any other host or outside /digest/
    assert requested and all(url.startswith(site_url) for url in requested), requested
    # the feed link in the head must not make the theme download the whole sitemap
    assert not any(url.endswith("sitemap.xml") for url in requested), requested


@pytest.mark.parametrize(("words", "page_url"), [
    ("Humira", "molecules/adalimumab/"),
    ("Amjevita", "products/abp-501/"),
    ("ABP 501", "products/abp-501/"),
    ("ABP501", "products/abp-501/"),
    ("Daiichi Sankyo", "companies/daiichi-sankyo/"),
    ("Daiichi Sankyo Company, Limited", "companies/daiichi-sankyo/"),
    ("Japan", "territories/jp/"),
])
def test_the_entity_page_for_an_exact_name_comes_first(page: Any, site_url: str, words: str, page_url: str) -> None:
    page.goto(site_url)
    found = search(page, words)
    assert found and found[0][1].endswith("/digest/" + page_url), found[:3]


def test_a_result_leads_to_its_page_and_enter_opens_the_first(page: Any, site_url: str) -> None:
    page.goto(site_url)
    found = search(page, "Daiichi Sankyo")
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(found[0][1])
    page.goto(site_url + "about/")
    first = search(page, "Amjevita")[0][1]
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(first))


def test_search_shows_when_nothing_matches(page: Any, site_url: str) -> None:
    page.goto(site_url)
    assert search(page, "zzqxv") == []
    assert page.locator(".md-search-result__meta").inner_text() == "No matching pages"


def test_search_works_under_mkdocs_serve(page: Any, fixture_site: Path) -> None:
    with mkdocs_serve(fixture_site, "--no-livereload", ready="pagefind/pagefind.js") as url:
        page.goto(url)
        assert any(href.endswith("/digest/molecules/adalimumab/") for _, href in search(page, "Humira"))
