"""Render a `Catalog` into Markdown pages: `{src_uri: markdown}`, with no side effects.

Python decides what appears on a page (selection, order, joins, addresses); the
Jinja templates in `templates/` decide how it looks. Pages link each other by
relative `.md` paths so that MkDocs checks every link and writes the right address
whatever `use_directory_urls` says.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import yaml

from . import charts
from .catalog import (
    Approval,
    Catalog,
    Commercialiser,
    Company,
    Deal,
    Event,
    Molecule,
    News,
    Party,
    Product,
    Quote,
    Territory,
    newest_first,
    news_of,
    territory,
)
from .contract import DEAL_TYPES, EVENT_LABELS

TEMPLATES = Path(__file__).parent / "templates"
LATEST_ON_HOME = 10  # the newest deals and events
CORRECTED_ON_HOME = 5  # the deal entries corrected last
LISTING_LIMIT = 100  # a longer listing of deals gets one page per year, so no page grows with the digest
LATEST_IN_SPLIT = 20  # how many of the newest deals a split listing still shows inline
FACETS = ("year", "type", "territory", "company", "molecule", "status", "terms")  # what the deals index filters by
MATRIX_COMPANIES = 30  # the landscape's matrix shows the companies with the most biosimilars
# A company's place for a molecule in the matrix: the furthest status of its biosimilars of it,
# in this order, with its colour (from charts.PALETTE; a product on the market is green).
STATUS_COLOURS = {"not stated": "#bab0ac", "discontinued": "#9c755f", "preclinical": "#b07aa1",
                  "phase-1": "#76b7b2", "phase-3": "#4e79a7", "filed": "#edc948", "approved": "#f28e2b",
                  "launched": "#59a14f"}
STATUS_ORDER = tuple(STATUS_COLOURS)
SECTIONS = {
    Deal: "deals",
    Company: "companies",
    Molecule: "molecules",
    Product: "products",
    Territory: "territories",
}
Entity = Deal | Company | Molecule | Product | Territory

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def escape_text(value: Any) -> str:
    """Return plain text made inert in Markdown: no emphasis, links, table breaks or HTML."""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def escape_markdown(value: Any) -> str:
    """Return an editor's Markdown with raw HTML disarmed (`<script>` shows as text)."""
    return str(value).strip().replace("<", "&lt;")


def format_money(money: Any) -> str:
    amount = money.amount
    shown = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{money.currency} {shown}"


def uri_of(entity: Entity) -> str:
    """Return the source path of an entity's page, e.g. `companies/amgen.md`."""
    return f"{SECTIONS[type(entity)]}/{entity.id}.md"


def relative(from_uri: str, to_uri: str) -> str:
    """Return the link from one page's source path to another's, e.g. `../companies/amgen.md`.

    Source paths are plain (no `.` or `..` parts), so this is a walk up to the common
    folder; `posixpath.relpath` asks the file system and cost 40% of rendering.
    """
    here = from_uri.split("/")[:-1]
    there = to_uri.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


@dataclass(frozen=True, slots=True)
class Row:
    """A deal in a listing, with the one thing that listing adds (a role, say)."""

    deal: Deal
    note: str = ""


class EntityCount(NamedTuple):
    """A line of an index: an entity with how many deals and products it has."""

    entity: Any
    deals: int
    products: int = 0


class ProductLine(NamedTuple):
    """A product with the molecule it copies and the company that develops it."""

    product: Product
    molecule: Molecule
    developer: Company


class PartyLine(NamedTuple):
    party: Party
    company: Company


class QuoteLine(NamedTuple):
    quote: Quote
    company: Company | None


class EventLine(NamedTuple):
    """A deal's event with the territories and products it names."""

    event: Event
    territories: list[Territory]
    products: list[Product]


def _year_fraction(day: dt.date) -> float:
    """A date as a year and its fraction, for a time axis: 2024-07-01 is about 2024.5."""
    return day.year + (day.timetuple().tm_yday - 1) / 366


class ApprovalLine(NamedTuple):
    approval: Approval
    territory: Territory
    product: Product


class MatrixLine(NamedTuple):
    """A company's biosimilars of one molecule, and who brings them to market where."""

    molecule: Molecule
    developer: Company
    products: list[Product]
    partners: tuple[Commercialiser, ...]


class Tally(NamedTuple):
    """A label and its numbers: a year and its deals by type, a molecule and its deals."""

    label: Any
    values: Any


@dataclass(frozen=True, slots=True)
class Timeline:
    """Where a deal stands among one company's or one molecule's deals (newest first)."""

    owner: Company | Molecule
    position: int  # 1 = the newest
    total: int
    newer: Deal | None
    older: Deal | None


@dataclass(frozen=True, slots=True)
class YearPage:
    year: int
    count: int
    uri: str


@dataclass(frozen=True, slots=True)
class Listing:
    """Deals listed on a page: all of them, or the newest plus one page per year when long."""

    rows: tuple[Row, ...]
    total: int
    years: tuple[YearPage, ...] = ()


LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def page_url(site_url: str, section: str, entity_id: str) -> str:
    return f"{site_url.rstrip('/')}/{section}/{entity_id}/"


def feed_path(section: str, entity_id: str) -> str:
    """Where a company's, molecule's or territory's feed is, e.g. `feeds/companies/amgen.xml`."""
    return f"feeds/{section}/{entity_id}.xml"


def feed_of(entity: Entity) -> str:
    return feed_path(SECTIONS[type(entity)], entity.id)


def plain_text(text: str, limit: int = 200) -> str:
    """A summary as one line of plain text of at most `limit` characters, cut at a word."""
    line = " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def front_matter(meta: dict[str, Any]) -> str:
    """A page's YAML front matter: what the theme puts in its head (description, JSON-LD)."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


def json_ld(data: dict[str, Any]) -> str:
    """JSON-LD as text that is safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


class TermsLine(NamedTuple):
    deal: Deal
    molecules: list[Molecule]
    upfront: Any  # Money or None, as stated
    milestones: Any
    total: Any


def has_terms(deal: Deal) -> bool:
    """Whether a deal states an amount: an upfront payment, milestones or a total."""
    f = deal.financials
    return f is not None and any((f.upfront, f.milestones, f.total))


def stated_value(deal: Deal) -> Any:
    """A deal's value as its sources state it: the total, or else the upfront and milestones added up
    when they are in one currency; None when neither is stated."""
    f = deal.financials
    if f is None:
        return None
    if f.total is not None:
        return f.total
    parts = [m for m in (f.upfront, f.milestones) if m is not None]
    if parts and len({m.currency for m in parts}) == 1:
        return type(parts[0])(sum(m.amount for m in parts), parts[0].currency)
    return None


class ShareLine(NamedTuple):
    front: str  # the page's front matter
    citation: str  # without the date of access, which the reader's day gives
    url: str


# The open data files, written by exports.write_open_data
OPEN_DATA_FILES = ("data/deals.json", "data/deals.csv", "data/deals.csl.json", "data/products.csv",
                   "data/companies.csv", "data/molecules.csv")


def make_environment(extra_template_dirs: Iterable[str] = ()) -> jinja2.Environment:
    """Return the Jinja environment; templates in `extra_template_dirs` override the built-in ones."""
    loader = jinja2.FileSystemLoader([*extra_template_dirs, str(TEMPLATES)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["text"] = escape_text
    env.filters["md"] = escape_markdown
    env.filters["money"] = format_money
    env.filters["iso"] = lambda day: day.isoformat()
    env.filters["event_label"] = lambda kind: EVENT_LABELS[kind]
    return env


class _Renderer:
    def __init__(self, catalog: Catalog, env: jinja2.Environment, home_intro: str, site_url: str, site_name: str,
                 engine: str = "mkdocs"):
        self.engine = engine
        self.site_url = site_url
        self.site_name = site_name
        self.catalog = catalog
        self.env = env
        self.home_intro = home_intro
        self.pages: dict[str, str] = {}
        self.counts = catalog.counts()
        # Each deal's place in every company's and molecule's list, found in constant time per deal.
        self.place: dict[tuple[str, str, str], int] = {}
        for kind, index in (("company", catalog.deals_by_company), ("molecule", catalog.deals_by_molecule)):
            for owner, listed in index.items():
                for position, listed_deal in enumerate(listed):
                    self.place[(kind, owner, listed_deal.id)] = position
        # territory code -> the events that name it, newest first
        self.events_in: dict[str, list[News]] = {}
        for item in news_of(catalog.deals.values()):
            for code in item.event.territories:  # type: ignore[union-attr]
                self.events_in.setdefault(code, []).append(item)
        self.approvals_by_region: dict[str, list[ApprovalLine]] = {}
        for product in catalog.products.values():
            for approval in product.approvals:
                self.approvals_by_region.setdefault(approval.region, []).append(
                    ApprovalLine(approval, catalog.territories[approval.region.lower()], product))

    def page(self, uri: str, template: str, **context: Any) -> None:
        def href(target: Entity | str) -> str:
            return relative(uri, target if isinstance(target, str) else uri_of(target))

        self.pages[uri] = self.env.get_template(template).render(
            href=href, catalog_counts=self.counts, **context)

    def listing(self, rows: Iterable[Row], owner: str, title: str, base: str, note_label: str = "") -> Listing:
        """Return a page's listing of deals (newest first), writing its year pages when it is long.

        `owner` is the page the listing belongs to, `base` the folder its year pages go in.
        """
        rows = tuple(rows)
        if len(rows) <= LISTING_LIMIT:
            return Listing(rows, len(rows))
        groups: dict[int, list[Row]] = {}
        for row in rows:
            groups.setdefault(row.deal.announced.year, []).append(row)
        years = tuple(YearPage(year, len(group), f"{base}/{year}.md") for year, group in groups.items())
        for year_page in years:
            self.page(year_page.uri, "deals_year.md.j2", title=title, owner=owner, year=year_page.year,
                      years=years, rows=groups[year_page.year], note_label=note_label)
        return Listing(rows[:LATEST_IN_SPLIT], len(rows), years)

    def dataset(self) -> dict[str, Any]:
        """The open data as a schema.org Dataset, with a distribution per file."""
        formats = {".json": "application/json", ".csv": "text/csv",
                   ".csl.json": "application/vnd.citationstyles.csl+json"}
        base = self.site_url.rstrip("/")
        dates = [d for deal in self.catalog.deals.values()
                 for d in (deal.announced, deal.updated, deal.status_checked) if d is not None]
        return {"@context": "https://schema.org", "@type": "Dataset", "name": f"{self.site_name}: open data",
                "description": "Biosimilar deals (licensing, settlements, acquisitions...) with their parties, "
                               "territories, products, terms, history and sources; products with their approvals.",
                "url": f"{base}/open-data/", "license": LICENCE, "isAccessibleForFree": True,
                "creator": {"@type": "Organization", "name": self.site_name, "url": self.site_url},
                "dateModified": max(dates).isoformat() if dates else None,
                "distribution": [{"@type": "DataDownload", "contentUrl": f"{base}/{path}",
                                  "encodingFormat": formats[".csl.json" if path.endswith(".csl.json")
                                                            else Path(path).suffix]}
                                 for path in OPEN_DATA_FILES]}

    def render(self) -> dict[str, str]:
        c = self.catalog
        deals = c.deals_newest_first()
        self.page("index.md", "home.md.j2", intro=self.home_intro,
                  latest=news_of(c.deals.values(), lambda deal: deal.announced)[:LATEST_ON_HOME],
                  corrected=sorted((d for d in c.deals.values() if d.updated),
                                   key=lambda d: (-d.updated.toordinal(), d.id))[:CORRECTED_ON_HOME])  # type: ignore[union-attr]
        self.page("feeds.md", "feeds.md.j2", sections=[
            ("Companies", sorted(c.companies.values(), key=lambda x: x.name.lower())),
            ("Molecules", sorted(c.molecules.values(), key=lambda x: x.name.lower())),
            ("Territories", sorted(c.territories.values(), key=lambda x: x.name.lower()))], feed_of=feed_of)
        self.terms(deals)
        self.page("open-data.md", "open_data.md.j2", front=front_matter({"jsonld": json_ld(self.dataset())}))
        self.landscape(deals)
        facets = {deal.id: self.facets(deal) for deal in deals}
        counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
        for values in facets.values():
            for facet, found in values.items():
                counts[facet].update(found)
        options = {facet: sorted(counts[facet].items(),
                                 key=(lambda kv: -int(kv[0])) if facet == "year" else (lambda kv: kv[0].lower()))
                   for facet in FACETS}
        self.page("deals/index.md", "deals_index.md.j2", years=_by_year(deals), options=options,
                  listing=self.listing((Row(d) for d in deals), "deals/index.md", "All deals", "deals/years"))
        self.page("companies/index.md", "companies_index.md.j2", rows=[
            EntityCount(company, len(c.deals_by_company.get(company.id, ())),
                        len(c.products_by_developer.get(company.id, ())))
            for company in sorted(c.companies.values(), key=lambda x: x.name.lower())])
        self.page("molecules/index.md", "molecules_index.md.j2", rows=[
            EntityCount(molecule, len(c.deals_by_molecule.get(molecule.id, ())),
                        len(c.products_by_molecule.get(molecule.id, ())))
            for molecule in sorted(c.molecules.values(), key=lambda x: x.name.lower())])
        self.page("products/index.md", "products_index.md.j2", rows=[
            self.product_line(product) for product in sorted(c.products.values(), key=lambda x: x.name.lower())])
        self.page("territories/index.md", "territories_index.md.j2", rows=[
            EntityCount(t, len(c.deals_by_territory.get(t.code, ()))) for t in c.territories.values()])
        for deal in deals:
            self.deal(deal, facets[deal.id])
        for company in c.companies.values():
            self.company(company)
        for molecule in c.molecules.values():
            self.molecule(molecule)
        for product in c.products.values():
            self.product(product)
        for place in c.territories.values():
            self.territory(place)
        return self.pages

    def landscape(self, deals: tuple[Deal, ...]) -> None:
        """The landscape page: who has a biosimilar of which molecule, and deals by year and by molecule."""
        c = self.catalog
        # the matrix: molecules by developers, each cell the furthest status of that company's biosimilars
        cells: dict[tuple[str, str], list[Product]] = {}
        for product in sorted(c.products.values(), key=lambda p: p.name.lower()):
            cells.setdefault((product.molecule, product.developer), []).append(product)
        developers = sorted({d for _, d in cells}, key=lambda d: (-len(c.products_by_developer.get(d, ())),
                                                                  c.companies[d].name.lower()))
        shown = developers[:MATRIX_COMPANIES]
        molecules = sorted({m for m, d in cells if d in shown},
                           key=lambda m: (-len(c.products_by_molecule.get(m, ())), c.molecules[m].name.lower()))

        def furthest(products: list[Product]) -> str:
            return max((p.status or "not stated" for p in products), key=STATUS_ORDER.index)

        statuses = {(c.molecules[m].name, c.companies[d].name): furthest(ps) for (m, d), ps in cells.items()
                    if d in shown}
        kinds = {k: colour for k, colour in STATUS_COLOURS.items() if k in statuses.values()}
        # each dot leads to the biosimilar that reached that status
        raw_link = relative if self.engine == "zensical" else address_link  # see render_pages
        links = {(c.molecules[m].name, c.companies[d].name):
                 raw_link("landscape.md", uri_of(max(ps, key=lambda p: STATUS_ORDER.index(p.status or "not stated"))))
                 for (m, d), ps in cells.items() if d in shown}
        matrix = charts.svg(charts.dot_matrix(
            "matrix", "Which company has a biosimilar of which molecule",
            f"A grid of {len(molecules)} molecules by {len(shown)} companies. A dot marks a company with a "
            f"biosimilar of that molecule, coloured by the furthest status it has reached ({', '.join(kinds)}); "
            "each dot leads to that biosimilar's page. The table under the picture lists the same biosimilars.",
            [c.molecules[m].name for m in molecules], [c.companies[d].name for d in shown], statuses, kinds,
            links))
        rows = [MatrixLine(c.molecules[m], c.companies[d], cells[(m, d)], c.commercialisers(m, d))
                for m in molecules for d in shown if (m, d) in cells]

        # deals per year, stacked by type; deals per molecule
        years = list(range(deals[-1].announced.year, deals[0].announced.year + 1)) if deals else []
        counts = Counter((deal.announced.year, deal.type) for deal in deals)
        types = [t for t in DEAL_TYPES if any(k[1] == t for k in counts)]
        by_year = [Tally(year, [counts[(year, t)] for t in types]) for year in years]
        busiest = max(by_year, key=lambda row: (sum(row.values), row.label), default=Tally(None, [0]))
        per_year = charts.svg(charts.stacked_columns(
            "deals-per-year", "Deals per year, by type",
            f"Columns of the number of deals announced each year from {years[0] if years else ''} to "
            f"{years[-1] if years else ''}, each split by deal type. The busiest year is {busiest.label}, "
            f"with {sum(busiest.values)} deals. The table under the picture gives every number.",
            [str(y) for y in years], [(t, [counts[(y, t)] for y in years]) for t in types]))
        by_molecule = sorted((Tally(m, len(c.deals_by_molecule.get(m.id, ()))) for m in c.molecules.values()
                              if c.deals_by_molecule.get(m.id)), key=lambda row: (-row.values, row.label.name.lower()))
        per_molecule = charts.svg(charts.bars(
            "deals-per-molecule", "Deals per molecule",
            f"Bars of the number of deals that cover each of {len(by_molecule)} molecules, most first"
            + (f": {by_molecule[0].label.name} leads with {by_molecule[0].values}." if by_molecule else ".")
            + " The table under the picture gives every number.",
            [(row.label.name, row.values) for row in by_molecule]))
        # the first approval of each molecule's biosimilars in each region
        firsts: dict[tuple[str, str], ApprovalLine] = {}
        for lines in self.approvals_by_region.values():
            for line in lines:
                key = (line.product.molecule, line.approval.region)
                if key not in firsts or (line.approval.date, line.product.name) < (
                        firsts[key].approval.date, firsts[key].product.name):
                    firsts[key] = line
        first_lines = sorted(firsts.values(), key=lambda x: (c.molecules[x.product.molecule].name.lower(),
                                                             x.approval.date, x.territory.name))
        approved = list(dict.fromkeys(c.molecules[x.product.molecule].name for x in first_lines))
        regions = list(dict.fromkeys(x.territory.name for x in sorted(first_lines, key=lambda x: x.approval.date)))
        first_chart = charts.svg(charts.timeline(
            "first-approvals", "First approval of a biosimilar, per molecule and region",
            f"A time line per molecule ({len(approved)} molecules): a dot marks the first approval of one of its "
            f"biosimilars in a region, coloured by region ({len(regions)} regions). The table under the picture "
            "gives each date and biosimilar.",
            approved, [(c.molecules[x.product.molecule].name, _year_fraction(x.approval.date),
                        f"{c.molecules[x.product.molecule].name}, {x.territory.name}: {x.approval.date.isoformat()} "
                        f"({x.product.name})", x.territory.name) for x in first_lines],
            {name: charts.PALETTE[i % len(charts.PALETTE)] for i, name in enumerate(regions)})) if first_lines else ""
        self.page("landscape.md", "landscape.md.j2", first_chart=first_chart, first_lines=first_lines,
                  molecule_of={x.product.id: c.molecules[x.product.molecule] for x in first_lines},
                  matrix=matrix, matrix_rows=rows, shown=len(shown),
                  developers=len(developers), per_year=per_year, by_year=by_year, types=types,
                  per_molecule=per_molecule, by_molecule=by_molecule)

    def terms(self, deals: tuple[Deal, ...]) -> None:
        """The terms page: every deal that states an amount, with a chart of the values stated in US
        dollars by year and type; the others counted."""
        c = self.catalog
        rows = [TermsLine(d, list(c.molecules_of_deal(d)), d.financials.upfront, d.financials.milestones,  # type: ignore[union-attr]
                          d.financials.total) for d in deals if has_terms(d)]  # type: ignore[union-attr]
        said = sum(1 for d in deals if d.financials is not None and not d.financials.disclosed and not has_terms(d))
        valued = [(d, v) for d in deals if (v := stated_value(d)) is not None and v.currency == "USD"]
        stated_years = [d.announced.year for d, _ in valued]
        years = list(range(min(stated_years), max(stated_years) + 1)) if stated_years else []
        types = [t for t in DEAL_TYPES if any(d.type == t for d, _ in valued)]
        millions = Counter[tuple[int, str]]()
        for d, v in valued:
            millions[(d.announced.year, d.type)] += v.amount / 1_000_000
        by_year = [Tally(year, [round(millions[(year, t)]) for t in types]) for year in years]
        chart = charts.svg(charts.stacked_columns(
            "terms-per-year", "Value of deals stated in US dollars, per year and type (USD millions)",
            f"Columns of the value stated for {len(valued)} deals with amounts in US dollars (their total, "
            "or else their upfront and milestone payments added up), per year of announcement, each split "
            "by deal type. Deals in other currencies are in the table below, not converted. The table "
            "under the picture gives every number.",
            [str(y) for y in years], [(t, [round(millions[(y, t)]) for y in years]) for t in types]))
        self.page("terms.md", "terms.md.j2", rows=rows, total=len(deals), said=said,
                  silent=len(deals) - len(rows) - said, chart=chart, by_year=by_year, types=types,
                  valued=len(valued), other_currencies=len(rows) - len(valued),
                  front=front_matter({"terms_table": True, "description": (
                      f"The disclosed terms of {len(rows)} biosimilar deals: upfront, milestones and totals, "
                      "as stated, sortable.")}))

    def product_line(self, product: Product) -> ProductLine:
        c = self.catalog
        return ProductLine(product, c.molecules[product.molecule], c.companies[product.developer])

    def timeline(self, deal: Deal, kind: str, owner: Company | Molecule) -> Timeline:
        c = self.catalog
        listed = (c.deals_by_company if kind == "company" else c.deals_by_molecule)[owner.id]
        i = self.place[(kind, owner.id, deal.id)]
        return Timeline(owner, i + 1, len(listed), listed[i - 1] if i > 0 else None,
                        listed[i + 1] if i + 1 < len(listed) else None)

    def facets(self, deal: Deal) -> dict[str, list[str]]:
        """What the deals index filters a deal by: {facet: the deal's values}, values as readers see them."""
        c = self.catalog
        return {"year": [str(deal.announced.year)], "type": [deal.type],
                "territory": [c.territories[code.lower()].name for code in deal.territories],
                "company": [c.companies[company].name for company in deal.companies],
                "molecule": [m.name for m in c.molecules_of_deal(deal)],
                "status": ["Ended" if deal.ended else "Active"],
                "terms": ["Disclosed" if has_terms(deal) else "Not disclosed"]}

    def deal(self, deal: Deal, facets: dict[str, list[str]]) -> None:
        c = self.catalog
        products = [self.product_line(c.products[p]) for p in deal.products]
        molecules_only = c.molecules_named_only(deal)
        self.page(uri_of(deal), "deal.md.j2", deal=deal, share=self.share(deal),
                  parties=[PartyLine(party, c.companies[party.company]) for party in deal.parties],
                  products=products,
                  named_molecules=molecules_only,
                  molecules=c.molecules_of_deal(deal),
                  territories=[c.territories[code.lower()] for code in deal.territories],
                  excluded=[c.territories[code.lower()] for code in deal.excluded_territories],
                  events=[EventLine(e, [c.territories[t.lower()] for t in e.territories],
                                    [c.products[p] for p in e.products]) for e in deal.events],
                  follows=c.deals[deal.follows] if deal.follows else None,
                  followed_by=c.deals_following.get(deal.id, ()),
                  facets=facets,
                  quotes=[QuoteLine(q, c.companies[q.company] if q.company else None) for q in deal.quotes],
                  timelines=[self.timeline(deal, "company", c.companies[x]) for x in deal.companies]
                  + [self.timeline(deal, "molecule", m) for m in c.molecules_of_deal(deal)],
                  unnamed=(deal.product_count - len(deal.products) - len(molecules_only)
                           if deal.product_count is not None else 0))

    def share(self, deal: Deal) -> ShareLine:
        """What a deal page offers to cite and share it: its description, citation and JSON-LD."""
        url = page_url(self.site_url, "deals", deal.id)
        description = plain_text(deal.summary)
        modified = max(d for d in (deal.announced, deal.updated, deal.status_checked,
                                   *(e.date for e in deal.events)) if d is not None)
        article = {"@context": "https://schema.org", "@type": "Article", "headline": deal.title,
                   "description": description, "datePublished": deal.announced.isoformat(),
                   "dateModified": modified.isoformat(), "url": url, "mainEntityOfPage": url,
                   "author": {"@type": "Organization", "name": self.site_name, "url": self.site_url},
                   "publisher": {"@type": "Organization", "name": self.site_name, "url": self.site_url},
                   "license": LICENCE, "isAccessibleForFree": True}
        citation = f"{deal.title}. {self.site_name}, announced {deal.announced.isoformat()}. {url}"
        meta = {"description": description, "og_type": "article", "cite": True, "jsonld": json_ld(article)}
        return ShareLine(front_matter(meta), citation, url)

    def company(self, company: Company) -> None:
        c = self.catalog
        uri = uri_of(company)
        rows = [Row(deal, ", ".join(dict.fromkeys(p.role for p in deal.parties if p.company == company.id)))
                for deal in c.deals_by_company.get(company.id, ())]
        mentioned = [Row(d, _mention(d, company, c)) for d in c.deals_mentioning.get(company.id, ())]
        self.page(uri, "company.md.j2",
                  feed=feed_of(company), front=front_matter({"feed": feed_of(company)}),
                  company=company,
                  listing=self.listing(rows, uri, company.name, f"companies/{company.id}", "Role"),
                  country=territory(company.country).name if company.country else None,
                  products=[self.product_line(p) for p in c.products_by_developer.get(company.id, ())],
                  molecules=c.molecules_of_company(company.id),
                  partners=c.partners_of(company.id),
                  mentioned=self.listing(mentioned, uri, f"{company.name}, other deals",
                                         f"companies/{company.id}/involved", "Involvement"),
                  originated=sorted((m for m in c.molecules.values() if m.originator == company.id),
                                    key=lambda m: m.name.lower()),
                  parent=c.companies[company.parent] if company.parent else None,
                  subsidiaries=c.subsidiaries.get(company.id, ()),
                  news=news_of(c.deals_by_company.get(company.id, ())))

    def approvals_chart(self, ident: str, title: str, what: str, lines: list[ApprovalLine]) -> str:
        """A timeline of approvals, one line per region, dots coloured by region; '' when there is none."""
        if not lines:
            return ""
        regions = list(dict.fromkeys(line.territory.name for line in sorted(lines, key=lambda x: x.approval.date)))
        kinds = {name: charts.PALETTE[i % len(charts.PALETTE)] for i, name in enumerate(regions)}
        first = min(lines, key=lambda x: x.approval.date)
        return charts.svg(charts.timeline(
            ident, title,
            f"A time line of {len(lines)} approvals of {what} in {len(regions)} regions, one line per region, "
            f"a dot per approval. The first was {first.product.name} in {first.territory.name} on "
            f"{first.approval.date.isoformat()}. The table under the picture lists every approval.",
            regions, [(line.territory.name, _year_fraction(line.approval.date),
                       f"{line.product.name}, {line.territory.name}: {line.approval.date.isoformat()}",
                       line.territory.name) for line in lines], kinds))

    def molecule(self, molecule: Molecule) -> None:
        c = self.catalog
        approvals = sorted((ApprovalLine(a, c.territories[a.region.lower()], p)
                            for p in c.products_by_molecule.get(molecule.id, ()) for a in p.approvals),
                           key=lambda x: (x.approval.date, x.territory.name, x.product.name))
        self.page(uri_of(molecule), "molecule.md.j2",
                  approvals=approvals, developers={p.id: c.companies[p.developer] for p in
                                                   c.products_by_molecule.get(molecule.id, ())},
                  approvals_chart=self.approvals_chart(
                      "approvals", f"Approvals of {molecule.name} biosimilars over time",
                      f"{molecule.name} biosimilars", approvals),
                  feed=feed_of(molecule), front=front_matter({"feed": feed_of(molecule)}),
                  molecule=molecule,
                  originator=c.companies[molecule.originator] if molecule.originator else None,
                  products=[self.product_line(p) for p in c.products_by_molecule.get(molecule.id, ())],
                  listing=self.listing((Row(d) for d in c.deals_by_molecule.get(molecule.id, ())), uri_of(molecule),
                                       molecule.name, f"molecules/{molecule.id}"),
                  news=news_of(c.deals_by_molecule.get(molecule.id, ())))

    def product(self, product: Product) -> None:
        c = self.catalog
        self.page(uri_of(product), "product.md.j2", product=product,
                  molecule=c.molecules[product.molecule],
                  developer=c.companies[product.developer],
                  approvals=[ApprovalLine(a, c.territories[a.region.lower()], product) for a in product.approvals],
                  listing=self.listing((Row(d) for d in c.deals_by_product.get(product.id, ())), uri_of(product),
                                       product.name, f"products/{product.id}"),
                  news=[n for n in news_of(c.deals_by_product.get(product.id, ()))
                        if n.event is None or not n.event.products or product.id in n.event.products])

    def territory(self, place: Territory) -> None:
        c = self.catalog
        approvals = sorted(self.approvals_by_region.get(place.code, ()),
                           key=lambda line: (line.approval.date, line.product.name))
        self.page(uri_of(place), "territory.md.j2",
                  feed=feed_of(place), front=front_matter({"feed": feed_of(place)}),
                  territory=place,
                  listing=self.listing((Row(d) for d in c.deals_by_territory.get(place.code, ())), uri_of(place),
                                       place.name, f"territories/{place.id}"),
                  excluding=c.deals_excluding.get(place.code, ()),
                  news=self.events_in.get(place.code, []),
                  approvals=approvals)


def _mention(deal: Deal, company: Company, catalog: Catalog) -> str:
    """Return why a deal that `company` is no party to still involves it."""
    products = [catalog.products[p].name for p in deal.products if catalog.products[p].developer == company.id]
    reasons = [f"developer of {', '.join(products)}"] if products else []
    if any(q.company == company.id for q in deal.quotes):
        reasons.append("quoted")
    return "; ".join(reasons)


def _by_year(deals: Iterable[Deal]) -> list[Tally]:
    """Return the deals by year, newest first: Tally(year, deals)."""
    years: dict[int, list[Deal]] = {}
    for deal in sorted(deals, key=newest_first):
        years.setdefault(deal.announced.year, []).append(deal)
    return [Tally(year, listed) for year, listed in years.items()]


def render_pages(catalog: Catalog, env: jinja2.Environment | None = None, home_intro: str = "",
                 site_url: str = "", site_name: str = "Biosimilar Deal Digest",
                 engine: str = "mkdocs") -> dict[str, str]:
    """Return every generated page as `{src_uri: markdown}`; `site_url` makes the permanent addresses
    that citations and structured data give.

    Links in Markdown are written from the page's source (`../companies/amgen.md`) and every engine
    turns them into addresses. Links inside raw HTML (the landscape matrix's dots, in SVG) are where
    the engines differ: MkDocs leaves them as written, Zensical reads them from the source as it does
    Markdown's. So those are written for the `engine` that builds the pages."""
    return _Renderer(catalog, env or make_environment(), home_intro, site_url, site_name, engine).render()


def page_address(uri: str) -> str:
    """A page's address from the site's root, with directory URLs: `landscape.md` -> `landscape/`."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def address_link(from_uri: str, to_uri: str) -> str:
    """The link from one page's address to another's: `landscape.md` to `products/x.md` is `../products/x/`."""
    here = page_address(from_uri).count("/")
    return "../" * here + page_address(to_uri)

