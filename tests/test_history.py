"""A deal's history: events on its page, deals that follow each other linked both ways, events in the
news and the feed with ids that stay put, and the deals index's status facet."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES
from digestgen.contract import EVENT_LABELS
from digestgen.exports import feed_xml
from digestgen.pipeline import load_catalog
from digestgen.render import render_pages

EXPECTED = Path(__file__).resolve().parent / "expected-history"
HISTORY = FIXTURES / "history" / "deals"
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://example.org/digest/"
STADA = "xbrane-stada-xlucane-ranibizumab-2018"
BAUSCH = "bausch-lomb-stada-xbrane-xlucane-us-canada-2020"
GOLDEN = (f"deals/{STADA}.md", f"deals/{BAUSCH}.md", "index.md", "products/xlucane.md", "companies/stada.md",
          "molecules/ranibizumab.md", "deals/index.md", "territories/ca.md")


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(HISTORY, today=dt.date(2026, 12, 6))


@pytest.fixture(scope="module")
def pages(catalog) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return render_pages(catalog, home_intro="# Home\n")


def test_history_pages_match_the_golden_files(pages: dict[str, str], catalog, update_golden: bool) -> None:  # type: ignore[no-untyped-def]
    outputs = {uri: pages[uri] for uri in GOLDEN} | {"feed.xml": feed_xml(catalog, SITE, "Digest")}
    for name, text in outputs.items():
        if update_golden:
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_text(text, encoding="utf-8")
        assert text == (EXPECTED / name).read_text(encoding="utf-8"), f"{name} differs from tests/expected-history/"


def test_a_deal_page_tells_its_history_with_sources(pages: dict[str, str], catalog) -> None:  # type: ignore[no-untyped-def]
    page = pages[f"deals/{STADA}.md"]
    history = page.split("## History", 1)[1].split("\n## ", 1)[0]
    for event in catalog.deals[STADA].events:
        assert f"### {event.date.isoformat()}: {EVENT_LABELS[event.kind]} {{: #{event.anchor} }}" in history
        for source in event.sources:
            assert f"]({source.url})" in history
    assert f"]({BAUSCH}.md)" in history  # the later deal that follows it
    later = pages[f"deals/{BAUSCH}.md"].split("## History", 1)[1].split("\n## ", 1)[0]
    assert "following [" in later and f"]({STADA}.md)" in later  # and the way back
    assert "Status: **terminated**." in later


def test_events_are_news_on_the_home_page_and_the_entity_pages(pages: dict[str, str], catalog) -> None:  # type: ignore[no-untyped-def]
    event = catalog.deals[STADA].events[0]
    assert f"deals/{STADA}.md#{event.anchor}" in pages["index.md"]
    for uri in ("companies/stada.md", "products/xlucane.md", "molecules/ranibizumab.md"):
        assert "## What happened next" in pages[uri] and f"{STADA}.md#{event.anchor}" in pages[uri], uri


def test_feed_entries_for_events_keep_their_ids_when_the_digest_grows(catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def entries(feed: str) -> dict[str, str]:
        root = ET.fromstring(feed)
        return {e.findtext(f"{ATOM}id") or "": e.findtext(f"{ATOM}title") or "" for e in root.findall(f"{ATOM}entry")}

    before = entries(feed_xml(catalog, SITE, "Digest"))
    event_ids = {i for i in before if "#event-" in i}
    assert len(event_ids) == sum(len(d.events) for d in catalog.deals.values()) > 0
    assert f"{SITE}deals/{STADA}/#event-2020-05-06-sublicensed" in event_ids
    # the same data again, and the data with one more deal: every event keeps its id and title
    grown = tmp_path / "deals"
    shutil.copytree(HISTORY, grown)
    founding = (grown / "2016" / "amgen-daiichi-sankyo-japan-2016.yaml").read_text(encoding="utf-8")
    (grown / "2016" / "amgen-daiichi-sankyo-japan-bis-2016.yaml").write_text(founding, encoding="utf-8")
    after = entries(feed_xml(load_catalog(grown, today=dt.date(2026, 12, 6)), SITE, "Digest"))
    assert entries(feed_xml(catalog, SITE, "Digest")) == before
    assert {i: after[i] for i in event_ids} == {i: before[i] for i in event_ids}


def test_the_deals_index_offers_active_and_ended(pages: dict[str, str]) -> None:
    index = pages["deals/index.md"]
    assert '<select name="status">' in index
    assert '<option value="Ended">Ended (1)</option>' in index and '<option value="Active">Active (3)</option>' in index
    assert '<span data-pagefind-filter="status">Ended</span>' in pages[f"deals/{BAUSCH}.md"]
    assert '<span data-pagefind-filter="status">Active</span>' in pages[f"deals/{STADA}.md"]
