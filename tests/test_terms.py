"""The deal terms page: every deal that states an amount, as stated, sortable with and without
JavaScript; the deals filter by whether terms were disclosed."""

from __future__ import annotations

import urllib.parse
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from digestgen.render import format_money, has_terms
from test_readers import filtered


class _Table(HTMLParser):
    """The rows of the terms table: each cell's text and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict[str, str | None]]]] = []
        self._cell: dict[str, str | None] | None = None
        self._text = ""
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if "data-terms-table" in dict(attrs):
            self._wrap = True
        elif tag == "table" and getattr(self, "_wrap", False):
            self._in, self._wrap = True, False
        elif self._in and tag == "tr":
            self.rows.append([])
        elif self._in and tag == "td":
            self._cell, self._text = dict(attrs), ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append((self._text.strip(), self._cell))
            self._cell = None
        elif tag == "table":
            self._in = False


def test_the_terms_page_lists_every_deal_with_terms_as_stated(site: Path, built_catalog: Any) -> None:
    html = (site / "terms" / "index.html").read_text(encoding="utf-8")
    table = _Table()
    table.feed(html)
    rows = [r for r in table.rows if r]  # the header row has no td
    with_terms = sorted((d for d in built_catalog.deals.values() if has_terms(d)),
                        key=lambda d: (-d.announced.toordinal(), d.id))
    assert len(rows) == len(with_terms) > 20
    dates = [row[0][0] for row in rows]
    assert dates == sorted(dates, reverse=True)  # without JavaScript: newest first
    by_title = {d.title: d for d in with_terms}
    for row in rows:
        deal = by_title[row[1][0]]
        for cell, money in zip(row[4:7], (deal.financials.upfront, deal.financials.milestones,
                                          deal.financials.total), strict=True):
            # the currency as stated, never converted
            assert cell[0] == (format_money(money) if money is not None else ""), deal.id
    undisclosed = sum(1 for d in built_catalog.deals.values()
                      if d.financials is not None and not d.financials.disclosed and not has_terms(d))
    text = " ".join(html.split())
    assert f"{len(with_terms)} of the digest's {len(built_catalog.deals)} deals state" in text
    assert f"{undisclosed} say that the terms were not disclosed" in text  # counted, not hidden
    assert 'id="terms-per-year"' in html and 'role="img"' in html


def test_a_reader_sorts_the_terms_by_upfront(page: Any, shipped_url: str, built_catalog: Any) -> None:
    page.goto(shipped_url + "terms/?sort=upfront")
    page.wait_for_selector("th[data-sort=upfront][aria-sort=descending]")
    cells = page.locator("[data-terms-table] table tbody tr td:nth-child(5)")
    stated = [(cells.nth(i).get_attribute("data-currency"), cells.nth(i).get_attribute("data-value"))
              for i in range(cells.count())]
    usd = [float(v) for c, v in stated if c == "USD"]
    assert usd and stated[0][0] == "USD" and usd == sorted(usd, reverse=True)
    top = max((d for d in built_catalog.deals.values() if has_terms(d) and d.financials.upfront
               and d.financials.upfront.currency == "USD"), key=lambda d: d.financials.upfront.amount)
    assert page.locator("[data-terms-table] table tbody tr").first.locator("a").inner_text() == top.title
    empty = [i for i, (_, v) in enumerate(stated) if v is None]
    assert empty == list(range(len(stated) - len(empty), len(stated)))  # deals with no upfront come last

    total = page.get_by_role("button", name="Total")
    total.focus()
    page.keyboard.press("Enter")  # a heading is a button: the keyboard sorts too
    page.wait_for_selector("th[data-sort=total][aria-sort=descending]")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"sort": ["-total"]}
    total.click()
    page.wait_for_selector("th[data-sort=total][aria-sort=ascending]")


def test_the_terms_page_fits_a_phone(browser: Any, shipped_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(shipped_url + "terms/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls in its own box
    context.close()


def test_the_deals_index_filters_by_disclosed_terms(page: Any, shipped_url: str, built_catalog: Any) -> None:
    page.goto(shipped_url + "deals/?terms=Disclosed")
    rows = filtered(page)  # the first 50, newest first
    disclosed = sorted(((d.announced.isoformat(), d.title) for d in built_catalog.deals.values() if has_terms(d)),
                       reverse=True)
    assert f"{len(disclosed)} deals match" in page.locator(".deal-filter__status").inner_text()
    assert set(rows) <= set(disclosed) and len(rows) == min(50, len(disclosed))
