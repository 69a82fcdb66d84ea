"""Cite and share: a deal's address pasted into a chat shows its title and summary, search engines
read what a deal page and the open data are, and a reader can copy a citation."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

SITE_URL = "https://biosimilar-deal-digest.github.io/digest/"
DEAL = "amgen-daiichi-sankyo-japan-2016"


class _Head(HTMLParser):
    """A page's meta tags, canonical link and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.json_ld: list[Any] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[str(a.get("property") or a.get("name"))] = a.get("content") or ""
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href") or "")
        self._in_json = tag == "script" and a.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False


def head(site: Path, address: str) -> _Head:
    parser = _Head()
    parser.feed((site / address / "index.html").read_text(encoding="utf-8"))
    return parser


def test_a_deal_page_shows_its_title_and_summary_when_shared(site: Path, built_catalog: Any) -> None:
    deal = built_catalog.deals[DEAL]
    page = head(site, f"deals/{DEAL}")
    summary = " ".join(deal.summary.split())
    assert page.meta["og:title"] == page.meta["twitter:title"] == deal.title
    assert page.meta["og:description"] == page.meta["twitter:description"] == page.meta["description"]
    assert summary.startswith(page.meta["og:description"].removesuffix("…"))
    assert 50 < len(page.meta["og:description"]) <= 201
    assert page.meta["og:type"] == "article" and page.meta["twitter:card"] == "summary"
    assert page.meta["og:url"] == page.canonical[0] == f"{SITE_URL}deals/{DEAL}/"
    assert page.meta["og:site_name"] == "Biosimilar Deal Digest"


def test_a_deal_page_describes_itself_as_an_article(site: Path, built_catalog: Any) -> None:
    deal = built_catalog.deals[DEAL]
    [article] = head(site, f"deals/{DEAL}").json_ld
    assert article["@context"] == "https://schema.org" and article["@type"] == "Article"
    assert article["headline"] == deal.title and article["url"] == f"{SITE_URL}deals/{DEAL}/"
    assert article["datePublished"] == deal.announced.isoformat()
    modified = dt.date.fromisoformat(article["dateModified"])
    assert modified >= deal.announced and modified == max(
        d for d in (deal.announced, deal.updated, deal.status_checked, *(e.date for e in deal.events)) if d)
    assert article["publisher"] == {"@type": "Organization", "name": "Biosimilar Deal Digest", "url": SITE_URL}
    assert article["license"].startswith("https://creativecommons.org/licenses/by/4.0")


def test_every_page_names_its_canonical_address(site: Path) -> None:
    for page in site.rglob("index.html"):
        address = page.parent.relative_to(site).as_posix()
        parser = _Head()
        parser.feed(page.read_text(encoding="utf-8"))
        expected = SITE_URL + (address + "/" if address != "." else "")
        assert parser.canonical == [expected], address
        assert parser.meta["og:title"] and parser.meta["og:description"], address


def test_the_open_data_page_describes_a_dataset_with_its_files(site: Path) -> None:
    [dataset] = head(site, "open-data").json_ld
    assert dataset["@type"] == "Dataset" and dataset["name"] and dataset["description"]
    assert dataset["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert dataset["url"] == f"{SITE_URL}open-data/"
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert formats == {"application/json", "text/csv", "application/vnd.citationstyles.csl+json"}
    for download in dataset["distribution"]:
        assert download["@type"] == "DataDownload" and download["contentUrl"].startswith(SITE_URL)
        assert (site / download["contentUrl"].removeprefix(SITE_URL)).is_file(), download["contentUrl"]


def test_every_deal_is_a_citation_in_csl_json(site: Path, built_catalog: Any) -> None:
    items = json.loads((site / "data" / "deals.csl.json").read_text(encoding="utf-8"))
    assert {item["id"] for item in items} == set(built_catalog.deals)
    for item in items:
        deal = built_catalog.deals[item["id"]]
        assert item["type"] == "webpage" and item["title"] == deal.title
        assert item["container-title"] == "Biosimilar Deal Digest"
        assert item["issued"] == {"date-parts": [[deal.announced.year, deal.announced.month, deal.announced.day]]}
        assert item["URL"] == f"{SITE_URL}deals/{deal.id}/"


def test_a_reader_copies_a_deal_citation(browser: Any, shipped_url: str, built_catalog: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(shipped_url + f"deals/{DEAL}/")
    button = page.locator("[data-cite-copy]")
    button.click()
    page.wait_for_function("document.querySelector('[data-cite-copy]').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    deal = built_catalog.deals[DEAL]
    today = page.evaluate("(() => { const d = new Date(), pad = n => String(n).padStart(2, '0'); "
                          "return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); })()")
    assert copied == (f"{deal.title}. Biosimilar Deal Digest, announced {deal.announced.isoformat()}. "
                      f"{SITE_URL}deals/{DEAL}/. Accessed {today}.")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today)
    context.close()
