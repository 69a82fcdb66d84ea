"""The Atom feed and the open data files, read back from a real build of the shipped data."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from digestgen.catalog import Catalog

ATOM = "{http://www.w3.org/2005/Atom}"


def site_of(shipped_build: tuple[Path, object]) -> Path:
    project, build = shipped_build
    assert build.returncode == 0  # type: ignore[attr-defined]
    return project / "site"


def test_the_feed_is_atom_newest_first_and_linked_from_every_page(shipped_build: tuple[Path, object],
                                                                  shipped_catalog: Catalog) -> None:
    site = site_of(shipped_build)
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    catalog = shipped_catalog
    events = sum(len(d.events) for d in catalog.deals.values())
    assert len(entries) == min(50, len(catalog.deals) + events)
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == dates[0]
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        link = entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        assert link.startswith("https://biosimilar-deal-digest.github.io/digest/deals/")
        assert entry.findtext(f"{ATOM}id") == link  # an event's id is its place on the deal page
        page, _, anchor = link.removeprefix("https://biosimilar-deal-digest.github.io/digest/").partition("#")
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, link
    for page in ("index.html", "deals/index.html", "companies/amgen/index.html", "open-data/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        links = re.findall(r'<link rel="([^"]*)" type="application/atom\+xml"[^>]*href="([^"]*)"', html)
        assert all("alternate" in rel.split() for rel, _ in links), page
        site_feed = [href for _, href in links if href.endswith("feed.xml") and "feeds/" not in href]
        own = [href for _, href in links if "feeds/" in href]  # a company's page links its own feed too
        assert len(site_feed) == 1 and len(own) == (1 if page.startswith("companies/") else 0), page


def test_open_data_files_open_cleanly_and_hold_every_record(shipped_build: tuple[Path, object],
                                                            shipped_catalog: Catalog) -> None:
    site = site_of(shipped_build)
    catalog = shipped_catalog
    counts = {"deals": len(catalog.deals), "products": len(catalog.products),
              "companies": len(catalog.companies), "molecules": len(catalog.molecules)}
    for name, count in counts.items():
        raw = (site / "data" / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert len(rows) == count + 1, name  # one header row, one row per record
        assert rows[0][0] == "id" and len({len(row) for row in rows}) == 1
        assert sorted(row[0] for row in rows[1:]) == sorted(getattr(catalog, name))
    deals = json.loads((site / "data" / "deals.json").read_text(encoding="utf-8"))
    assert deals["licence"] == "CC BY 4.0" and len(deals["deals"]) == counts["deals"]
    founding = next(d for d in deals["deals"] if d["id"] == "amgen-daiichi-sankyo-japan-2016")
    assert founding["territories"] == ["JP"] and founding["product_count"] == 9
    assert {p["company_name"] for p in founding["parties"]} == {"Amgen", "Daiichi Sankyo"}
    row = next(r for r in csv.DictReader(io.StringIO((site / "data" / "deals.csv").read_text(encoding="utf-8")))
               if r["id"] == "amgen-daiichi-sankyo-japan-2016")
    assert {"adalimumab", "trastuzumab", "bevacizumab"} <= set(row["molecules"].split("; "))
    assert row["terms_disclosed"] == "false"
    products = {r["id"]: r for r in csv.DictReader(io.StringIO((site / "data" / "products.csv")
                                                                .read_text(encoding="utf-8")))}
    sourced = [(p, a) for p in catalog.products.values() for a in p.approvals if a.source]
    assert sourced  # the shipped data names where some decisions are recorded
    for product, approval in sourced:
        assert (f"{approval.region} {approval.date.isoformat()} {approval.source.url}"  # type: ignore[union-attr]
                in products[product.id]["approval_sources"].split("; ")), product.id


def test_the_open_data_page_links_every_file_and_states_the_licence(shipped_build: tuple[Path, object]) -> None:
    site = site_of(shipped_build)
    html = (site / "open-data" / "index.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in html
    for target in ("data/deals.json", "data/deals.csv", "data/products.csv", "data/companies.csv",
                   "data/molecules.csv", "feed.xml", "schema/deal.schema.json"):
        assert f'href="../{target}"' in html, target
        assert (site / target).is_file()
