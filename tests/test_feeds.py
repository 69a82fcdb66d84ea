"""Feeds to follow: one Atom feed per company, molecule and territory, valid, linked and bounded."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from digestgen.exports import FEED_ENTRIES, feed_xml

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://biosimilar-deal-digest.github.io/digest/"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")


def check_atom(feed: ET.Element) -> list[ET.Element]:
    """Check what RFC 4287 requires of a feed and its entries; return the entries."""
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required  # exactly one (4.1.1)
    assert RFC3339.fullmatch(feed.findtext(f"{ATOM}updated") or "")
    self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href") == feed.findtext(f"{ATOM}id")
    entries = feed.findall(f"{ATOM}entry")
    feed_author = feed.find(f"{ATOM}author/{ATOM}name")
    ids = []
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert RFC3339.fullmatch(entry.findtext(f"{ATOM}updated") or "")
        alternate = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert alternate or entry.find(f"{ATOM}content") is not None  # 4.1.1: a link or content
        assert feed_author is not None or entry.find(f"{ATOM}author") is not None  # 4.1.1: an author
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids))
    return entries


def test_every_company_molecule_and_territory_has_a_valid_feed_of_its_deals(site: Path, built_catalog: Any) -> None:
    c = built_catalog
    owners = [("companies", x.id, c.deals_by_company.get(x.id, ())) for x in c.companies.values()]
    owners += [("molecules", x.id, c.deals_by_molecule.get(x.id, ())) for x in c.molecules.values()]
    owners += [("territories", x.id, c.deals_by_territory.get(x.code, ())) for x in c.territories.values()]
    for section, owner, deals in owners:
        feed = ET.parse(site / "feeds" / section / f"{owner}.xml").getroot()
        entries = check_atom(feed)
        assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}feeds/{section}/{owner}.xml"
        alternate = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate")
        assert alternate.get("href") == f"{SITE_URL}{section}/{owner}/"
        ours = {f"{SITE_URL}deals/{d.id}/" for d in deals}
        assert len(entries) == min(FEED_ENTRIES, len(deals) + sum(len(d.events) for d in deals))
        for entry in entries:  # only the deals that concern it, each entry with a stable id
            assert (entry.findtext(f"{ATOM}id") or "").split("#")[0] in ours, (section, owner)


def test_an_entity_page_links_its_feed_in_its_head_and_its_body(site: Path) -> None:
    for address in ("companies/alvotech", "molecules/adalimumab", "territories/jp"):
        html = (site / address / "index.html").read_text(encoding="utf-8")
        section, owner = address.split("/")
        head = re.search(r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]+" '
                         rf'href="([^"]+/feeds/{section}/{owner}\.xml)">', html)
        assert head, address
        assert (site / address / head[1]).resolve() == (site / "feeds" / section / f"{owner}.xml").resolve()
        body = html.split("<article", 1)[1]
        assert f'feeds/{section}/{owner}.xml">Follow ' in body, address


def test_the_feeds_page_lists_every_feed(site: Path) -> None:
    html = (site / "feeds" / "index.html").read_text(encoding="utf-8").split("<article", 1)[1]
    linked = {(site / "feeds" / href).resolve() for href in re.findall(r'href="([^"]+\.xml)"', html)}
    assert linked == {p.resolve() for p in site.glob("feeds/*/*.xml")} | {(site / "feed.xml").resolve()}


def test_a_feed_stays_at_the_newest_entries_however_many_deals(built_catalog: Any) -> None:
    deals = list(built_catalog.deals.values())
    feed = ET.fromstring(feed_xml(built_catalog, SITE_URL, "Digest", deals, "feeds/x.xml", "deals of X"))
    entries = check_atom(feed)
    assert len(entries) == FEED_ENTRIES
    dates = [dt.date.fromisoformat((e.findtext(f"{ATOM}updated") or "")[:10]) for e in entries]
    assert dates == sorted(dates, reverse=True)
    newest = max(max([d.changed, *(e.date for e in d.events)]) for d in deals)
    assert dates[0] == newest


def test_a_reader_subscribes_to_alvotech(page: Any, shipped_url: str, built_catalog: Any) -> None:
    page.goto(shipped_url + "companies/alvotech/")
    link = page.locator("link[rel='alternate feed'][title*='Alvotech']")
    href = link.get_attribute("href")
    page.get_by_role("link", name="Follow Alvotech: Atom feed").click()  # the body's link leads to the same feed
    assert page.url == urllib.parse.urljoin(shipped_url + "companies/alvotech/", href)
    response = page.request.get(page.url)
    assert response.ok and "xml" in response.headers["content-type"]
    entries = check_atom(ET.fromstring(response.body()))
    alvotech = {f"{SITE_URL}deals/{d.id}/" for d in built_catalog.deals_by_company["alvotech"]}
    assert entries and all((e.findtext(f"{ATOM}id") or "").split("#")[0] in alvotech for e in entries)
