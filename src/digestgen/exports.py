"""What readers take away: the Atom feed of deals and the open data files.

Plain text out of a `Catalog`, no MkDocs: the feed as a string, the open data
files written into a folder. Every value
comes from the data files; nothing depends on the clock, so two builds of the same
data give the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any

import jinja2

from .catalog import Catalog, Deal, News, molecule_ids, news_of, news_order
from .contract import EVENT_LABELS
from .render import OPEN_DATA_FILES, TEMPLATES, feed_path, page_url

FEED = "feed.xml"
FEED_ENTRIES = 50
LIST_SEPARATOR = "; "  # how lists are joined in a CSV cell
OPEN_DATA = OPEN_DATA_FILES
SITE_NAME = "Biosimilar Deal Digest"


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {k: _plain(v) for k, v in asdict(value).items() if k != "path"}  # type: ignore[arg-type]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "path"}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    title: str
    updated: str
    published: str
    category: str
    summary: str


def _entry(catalog: Catalog, item: News, site_url: str) -> FeedEntry:
    deal, event = item.deal, item.event
    url = page_url(site_url, "deals", deal.id)
    parties = ", ".join(catalog.companies[c].name for c in deal.companies)
    if event is None:
        return FeedEntry(url, deal.title, item.date.isoformat(), deal.announced.isoformat(), deal.type,
                         f"{' '.join(deal.summary.split())} (Parties: {parties}; "
                         f"territories: {', '.join(deal.territories)}.)")
    return FeedEntry(f"{url}#{event.anchor}", f"{EVENT_LABELS[event.kind]}: {deal.title}", item.date.isoformat(),
                     item.date.isoformat(), event.kind,
                     f"{' '.join(event.summary.split())} (Deal announced {deal.announced.isoformat()}; "
                     f"parties: {parties}.)")


_FEED = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                           lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def feed_xml(catalog: Catalog, site_url: str, title: str, deals: Iterable[Deal] | None = None, path: str = FEED,
             subject: str = "", page: str = "") -> str:
    """Return an Atom feed (RFC 4287) of the news: new and updated deals, and what happened to deals later;
    of every deal, or of `deals` (a company's, say: then `subject` names it and `page` is its page's address).

    An event is an entry of its own, linked to its place on the deal's page; its id is that
    address, made of the deal's id and the event's date and kind, so it stays the same from
    build to build and a feed reader shows each event once. The newest entries only, so a feed's
    size stays flat as the digest grows.
    """
    pool = tuple(catalog.deals.values() if deals is None else deals)
    events = news_of(pool)
    latest = sorted(pool, key=lambda d: (-d.changed.toordinal(), d.id))[:FEED_ENTRIES]
    news = sorted(events + [News(d.changed, d) for d in latest], key=news_order)[:FEED_ENTRIES]
    updated = f"{news[0].date.isoformat()}T00:00:00Z" if news else "1970-01-01T00:00:00Z"
    root = site_url.rstrip("/") + "/"
    heading = f"{title}: {subject}" if subject else f"{title}: new deals and what happened next"
    return _FEED.get_template("feed.xml.j2").render(
        root=root, feed_url=root + path, alternate=root + page, title=heading, author=title, updated=updated,
        entries=[_entry(catalog, item, site_url) for item in news])


def entity_feeds(catalog: Catalog, site_url: str, title: str) -> dict[str, str]:
    """A feed for every company, molecule and territory: the news of the deals that concern it."""
    owners: list[tuple[str, str, str, tuple[Deal, ...]]] = [  # section, id, name, deals
        *(("companies", c.id, c.name, catalog.deals_by_company.get(c.id, ())) for c in catalog.companies.values()),
        *(("molecules", m.id, m.name, catalog.deals_by_molecule.get(m.id, ())) for m in catalog.molecules.values()),
        *(("territories", t.id, t.name, catalog.deals_by_territory.get(t.code, ()))
          for t in catalog.territories.values())]
    return {feed_path(section, owner): feed_xml(catalog, site_url, title, deals, feed_path(section, owner),
                                                f"deals of {name}", f"{section}/{owner}/")
            for section, owner, name, deals in owners}


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, what spreadsheets expect
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else LIST_SEPARATOR.join(map(str, v)) if isinstance(v, (list, tuple))
                             else str(v).lower() if isinstance(v, bool) else v for v in row])


def _deal_record(catalog: Catalog, deal: Deal, site_url: str) -> dict[str, Any]:
    record: dict[str, Any] = _plain(deal)
    record["status"] = deal.state  # the file's status, else what the events say
    record["url"] = page_url(site_url, "deals", deal.id)
    for party in record["parties"]:
        party["company_name"] = catalog.companies[party["company"]].name
    return record


def write_open_data(catalog: Catalog, site_url: str, folder: Path) -> list[str]:
    """Write the open data files into `folder` (deals as JSON and CSV; products, companies and
    molecules as CSV) and return their paths in the site.

    Each file is written one record at a time: at 10,000 deals the JSON alone is 30 MB,
    and building it whole would hold several times that in memory for the rest of the build.
    """
    (folder / "data").mkdir(parents=True, exist_ok=True)
    deals = catalog.deals_newest_first()
    with open(folder / "data/deals.json", "w", encoding="utf-8", newline="\n") as out:
        out.write('{\n "licence": "CC BY 4.0",\n "source": ' + json.dumps(site_url) + ',\n "deals": [')
        for i, deal in enumerate(deals):
            record = json.dumps(_deal_record(catalog, deal, site_url), indent=1, ensure_ascii=False)
            out.write(("," if i else "") + "\n  " + record.replace("\n", "\n  "))
        out.write("\n ]\n}\n")

    # Every deal as a CSL-JSON item, for reference managers (Zotero, citeproc): one citation per deal page.
    with open(folder / "data/deals.csl.json", "w", encoding="utf-8", newline="\n") as out:
        out.write("[")
        for i, deal in enumerate(deals):
            item = {"id": deal.id, "type": "webpage", "title": deal.title, "container-title": SITE_NAME,
                    "issued": {"date-parts": [[deal.announced.year, deal.announced.month, deal.announced.day]]},
                    "URL": page_url(site_url, "deals", deal.id), "abstract": deal.summary.strip()}
            out.write(("," if i else "") + "\n " + json.dumps(item, ensure_ascii=False))
        out.write("\n]\n")

    def money(deal: Deal, term: str) -> tuple[Any, Any]:
        amount = getattr(deal.financials, term, None) if deal.financials else None
        return (amount.amount, amount.currency) if amount else (None, None)

    _write_csv(
        folder / "data/deals.csv",
        ["id", "announced", "updated", "title", "type", "status", "exclusive", "parties", "territories",
         "excluded_territories", "products",
         "molecules", "product_count", "terms_disclosed", "upfront", "upfront_currency", "total", "total_currency",
         "sources", "follows", "events", "url"],
        ([d.id, d.announced.isoformat(), d.updated.isoformat() if d.updated else None, d.title, d.type, d.state,
          d.exclusive,
          [f"{catalog.companies[p.company].name} ({p.role})" for p in d.parties], d.territories, d.excluded_territories,
          d.products,
          molecule_ids(d, catalog.products), d.product_count,
          d.financials.disclosed if d.financials else None, *money(d, "upfront"), *money(d, "total"),
          [s.url for s in d.sources], d.follows, [f"{e.date.isoformat()} {e.kind}" for e in d.events],
          page_url(site_url, "deals", d.id)] for d in deals))
    _write_csv(
        folder / "data/products.csv",
        ["id", "name", "molecule", "developer", "brands", "status", "status_checked", "approvals",
         "approval_sources", "url"],
        ([p.id, p.name, p.molecule, p.developer, p.brands, p.status,
          p.status_checked.isoformat() if p.status_checked else None,
          [f"{a.region} {a.date.isoformat()}" for a in p.approvals],
          [f"{a.region} {a.date.isoformat()} {a.source.url}" for a in p.approvals if a.source],
          page_url(site_url, "products", p.id)]
         for p in sorted(catalog.products.values(), key=lambda p: p.id)))
    _write_csv(
        folder / "data/companies.csv",
        ["id", "name", "country", "aliases", "parent", "website", "deals", "url"],
        ([c.id, c.name, c.country, c.aliases, c.parent, c.website, len(catalog.deals_by_company.get(c.id, ())),
          page_url(site_url, "companies", c.id)] for c in sorted(catalog.companies.values(), key=lambda c: c.id)))
    _write_csv(
        folder / "data/molecules.csv",
        ["id", "name", "reference_brands", "originator", "target", "modality", "deals", "url"],
        ([m.id, m.name, m.reference_brands, m.originator, m.target, m.modality,
          len(catalog.deals_by_molecule.get(m.id, ())), page_url(site_url, "molecules", m.id)]
         for m in sorted(catalog.molecules.values(), key=lambda m: m.id)))
    return list(OPEN_DATA)
