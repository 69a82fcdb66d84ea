"""What readers do, in a real browser on the shipped site served under a sub-path.

Filtering the deals index (with the choice kept in the address), the walk from the
home page through search to a molecule, a deal and a company, the feed and the CSV,
the page with JavaScript off, and a phone-sized screen. Screenshots of the pages
readers see most go to build/screenshots/ for review.
"""

from __future__ import annotations

import csv
import io
import urllib.parse
from typing import Any

import pytest

from conftest import ROOT, search
from digestgen.render import LATEST_IN_SPLIT, LISTING_LIMIT

SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def catalog(shipped_catalog: Any) -> Any:
    return shipped_catalog


def filtered(page: Any) -> list[tuple[str, str]]:
    """Wait for the deals index's filter to settle; return the (date, title) of each row shown."""
    page.wait_for_selector("[data-deal-filter][data-filter-state=done]")
    rows = page.locator("[data-deal-results] tbody tr")
    return [(rows.nth(i).locator("td").nth(0).inner_text(), rows.nth(i).locator("td a").inner_text())
            for i in range(rows.count())]


def in_order(rows: list[tuple[str, str]], expected: list[tuple[str, str]], newest_first: bool = True) -> bool:
    """The rows are exactly the expected deals, in date order (deals of the same day in any order)."""
    dates = [date for date, _ in rows]
    return sorted(rows) == sorted(expected) and dates == sorted(dates, reverse=newest_first)


def choose(page: Any, name: str, value: str) -> None:
    page.locator(f"[data-deal-filter] select[name={name}]").select_option(value)


def test_filtering_the_deals_index_by_territory_keeps_the_choice_in_the_address(
        page: Any, shipped_url: str, catalog: Any) -> None:
    page.goto(shipped_url + "deals/")
    page.wait_for_selector("[data-deal-filter]:not([hidden])")
    assert page.locator("[data-deal-results]").is_hidden()  # no filter yet: the listing as built
    choose(page, "territory", "Japan")
    rows = filtered(page)
    japan = sorted(((d.announced.isoformat(), d.title) for d in catalog.deals.values() if "JP" in d.territories),
                   reverse=True)
    assert japan and in_order(rows, japan)  # every deal for Japan, newest first, and nothing else
    assert page.locator("[data-deal-listing]").is_hidden()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"territory": ["Japan"]}
    assert page.locator(".deal-filter__status").inner_text() == f"{len(japan)} deals match."

    # the address is enough to see the same view again, and a second filter narrows it
    page.goto(page.url)
    assert in_order(filtered(page), japan)
    choose(page, "company", "Daiichi Sankyo")
    both = [row for row in japan if any(
        d.title == row[1] and "daiichi-sankyo" in d.companies for d in catalog.deals.values())]
    assert both and in_order(filtered(page), both)
    choose(page, "sort", "title")
    assert filtered(page) == sorted(both, key=lambda row: row[1].lower())
    assert "sort=title" in page.url

    page.locator("[data-deal-filter] button[type=reset]").click()
    page.wait_for_function("() => !location.search")
    assert page.locator("[data-deal-listing]").is_visible()


def test_each_filter_and_the_rows_lead_to_deal_pages(page: Any, shipped_url: str, catalog: Any) -> None:
    page.goto(shipped_url + "deals/?year=2016&type=licensing")
    rows = filtered(page)
    expected = sorted(((d.announced.isoformat(), d.title) for d in catalog.deals.values()
                       if d.announced.year == 2016 and d.type == "licensing"), reverse=True)
    assert rows and in_order(rows, expected)
    page.goto(shipped_url + "deals/?molecule=Trastuzumab&sort=oldest")
    rows = filtered(page)
    assert rows and in_order(rows, [(d.announced.isoformat(), d.title) for d in catalog.deals.values()
                                    if any(m.id == "trastuzumab" for m in catalog.molecules_of_deal(d))], False)
    page.locator("[data-deal-results] tbody a").first.click()
    page.wait_for_load_state()
    assert "/digest/deals/" in page.url and page.locator("h1").inner_text().rstrip("¶") == rows[0][1]


def test_filtering_by_status_finds_the_deals_that_ended(page: Any, shipped_url: str, catalog: Any) -> None:
    page.goto(shipped_url + "deals/")
    page.wait_for_selector("[data-deal-filter]:not([hidden])")
    choose(page, "status", "Ended")
    ended = sorted(((d.announced.isoformat(), d.title) for d in catalog.deals.values() if d.ended), reverse=True)
    assert ended and in_order(filtered(page), ended)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"status": ["Ended"]}
    page.goto(shipped_url + "deals/?status=Active&sort=oldest")
    active = sorted((d.announced.isoformat(), d.title) for d in catalog.deals.values() if not d.ended)
    rows = filtered(page)  # the first 50, oldest first
    assert len(rows) == min(50, len(active)) and set(rows) <= set(active)
    assert [date for date, _ in rows] == [date for date, _ in active[:len(rows)]]


def test_a_deal_that_excludes_a_country_is_not_found_under_it(page: Any, shipped_url: str, catalog: Any) -> None:
    excluded = {code for d in catalog.deals.values() for code in d.excluded_territories}
    assert excluded, "the shipped data has a deal with excluded territories"
    code = next(c for c in sorted(excluded) if catalog.deals_by_territory.get(c))  # a country readers filter by
    name = catalog.territories[code.lower()].name
    page.goto(shipped_url + "deals/?territory=" + urllib.parse.quote(name))
    rows = filtered(page)
    assert in_order(rows, [(d.announced.isoformat(), d.title) for d in catalog.deals_by_territory[code]])
    assert not {title for _, title in rows} & {d.title for d in catalog.deals_excluding[code]}
    page.goto(shipped_url + f"territories/{code.lower()}/")
    leaving_out = page.locator("h2#deals-that-leave-it-out + p + ul a")
    assert leaving_out.count() == len(catalog.deals_excluding[code])


def test_more_rows_load_on_demand(page: Any, shipped_url: str, catalog: Any) -> None:
    page.goto(shipped_url + "deals/?sort=oldest")
    rows = filtered(page)
    assert len(rows) == min(50, len(catalog.deals))
    more = page.locator("[data-deal-more]")
    shown = len(rows)
    while shown < len(catalog.deals):  # each click adds the next 50
        more.click()
        shown = min(shown + 50, len(catalog.deals))
        page.wait_for_function(f"() => document.querySelectorAll('[data-deal-results] tbody tr').length === {shown}")
    rows = filtered(page)
    every = [(d.announced.isoformat(), d.title) for d in catalog.deals.values()]
    assert len(rows) == len(catalog.deals) and in_order(rows, every, False)
    assert more.is_hidden()


def test_without_javascript_the_deals_index_is_a_plain_table(browser: Any, shipped_url: str, catalog: Any) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(shipped_url + "deals/?territory=Japan")
        assert page.locator("[data-deal-filter]").is_hidden()
        links = page.locator("[data-deal-listing] table a")
        if len(catalog.deals) <= LISTING_LIMIT:  # one table a year on the page
            assert links.count() == len(catalog.deals)
        else:  # a page a year, and the latest deals inline
            years = {d.announced.year for d in catalog.deals.values()}
            assert links.count() == len(years) + LATEST_IN_SPLIT
    finally:
        context.close()


def test_a_reader_walks_from_search_to_a_molecule_a_deal_and_a_company(page: Any, shipped_url: str) -> None:
    page.goto(shipped_url)
    found = search(page, "Humira")
    assert found[0][1].endswith("/digest/molecules/adalimumab/")
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url("**/molecules/adalimumab/")
    assert page.locator("h1").first.inner_text().rstrip("¶") == "Adalimumab"
    page.locator("article a[href*='/deals/']").first.click()
    page.wait_for_url("**/deals/*/")
    deal_title = page.locator("h1").first.inner_text().rstrip("¶")
    assert deal_title
    party = page.locator("#parties + * a, #parties ~ .md-typeset__scrollwrap a").first
    company = party.inner_text()
    party.click()
    page.wait_for_url("**/companies/*/")
    assert page.locator("h1").first.inner_text().rstrip("¶") == company
    assert page.locator(f"article a:has-text({deal_title!r})").count() >= 1  # the company lists the deal


def test_the_feed_and_the_csv_open_from_the_site(page: Any, shipped_url: str, catalog: Any) -> None:
    page.goto(shipped_url)
    feed = page.locator("link[type='application/atom+xml']").get_attribute("href")
    response = page.request.get(urllib.parse.urljoin(page.url, feed))
    assert response.ok and "<feed xmlns=\"http://www.w3.org/2005/Atom\"" in response.text()
    page.goto(shipped_url + "open-data/")
    href = page.locator("article a[href$='deals.csv']").first.get_attribute("href")
    response = page.request.get(urllib.parse.urljoin(page.url, href))
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.body().decode("utf-8"))))
    assert {row["id"] for row in rows} == set(catalog.deals)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pages_readers_see_most_fit_the_screen(browser: Any, shipped_url: str, viewport: dict[str, int]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = "desktop" if viewport is DESKTOP else "phone"
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    try:
        page = context.new_page()
        for name, address in [("home", ""), ("deal", "deals/amgen-daiichi-sankyo-japan-2016/"),
                              ("molecule", "molecules/adalimumab/"), ("deals-filtered", "deals/?territory=Japan"),
                              ("landscape", "landscape/"), ("terms", "terms/"), ("feeds", "feeds/")]:
            page.goto(shipped_url + address)
            if name == "deals-filtered":
                assert filtered(page)
            page.wait_for_load_state("networkidle")
            # nothing wider than the screen: wide tables scroll inside their own box
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (name, width, overflow)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        context.close()
