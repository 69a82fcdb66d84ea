"""Render a `Catalog` into Markdown pages: `{src_uri: markdown}`, with no side effects.

Python decides what appears on a page (selection, order, joins, addresses); the
Jinja templates in `templates/` decide how it looks. Pages link each other by
relative `.md` paths so that MkDocs checks every link and writes the right address
whatever `use_directory_urls` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import jinja2

from .catalog import Catalog, Company, Deal, Molecule, Product, Territory, newest_first, territory

TEMPLATES = Path(__file__).parent / "templates"
LATEST_ON_HOME = 10
LISTING_LIMIT = 100  # a longer listing of deals gets one page per year, so no page grows with the digest
LATEST_IN_SPLIT = 20  # how many of the newest deals a split listing still shows inline
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
    return env


class _Renderer:
    def __init__(self, catalog: Catalog, env: jinja2.Environment, home_intro: str):
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
        self.approvals_by_region: dict[str, list[tuple[Any, Product]]] = {}
        for product in catalog.products.values():
            for approval in product.approvals:
                self.approvals_by_region.setdefault(approval.region, []).append((approval, product))

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

    def render(self) -> dict[str, str]:
        c = self.catalog
        deals = c.deals_newest_first()
        self.page("index.md", "home.md.j2", intro=self.home_intro, latest=deals[:LATEST_ON_HOME])
        self.page("open-data.md", "open_data.md.j2")
        self.page("deals/index.md", "deals_index.md.j2", years=_by_year(deals),
                  listing=self.listing((Row(d) for d in deals), "deals/index.md", "All deals", "deals/years"))
        self.page("companies/index.md", "companies_index.md.j2", rows=[
            (company, len(c.deals_by_company.get(company.id, ())),
             len(c.products_by_developer.get(company.id, ())))
            for company in sorted(c.companies.values(), key=lambda x: x.name.lower())])
        self.page("molecules/index.md", "molecules_index.md.j2", rows=[
            (molecule, len(c.products_by_molecule.get(molecule.id, ())),
             len(c.deals_by_molecule.get(molecule.id, ())))
            for molecule in sorted(c.molecules.values(), key=lambda x: x.name.lower())])
        self.page("products/index.md", "products_index.md.j2", rows=[
            (product, c.molecules[product.molecule], c.companies[product.developer])
            for product in sorted(c.products.values(), key=lambda x: x.name.lower())])
        self.page("territories/index.md", "territories_index.md.j2", rows=[
            (t, len(c.deals_by_territory.get(t.code, ()))) for t in c.territories.values()])
        for deal in deals:
            self.deal(deal)
        for company in c.companies.values():
            self.company(company)
        for molecule in c.molecules.values():
            self.molecule(molecule)
        for product in c.products.values():
            self.product(product)
        for place in c.territories.values():
            self.territory(place)
        return self.pages

    def timeline(self, deal: Deal, kind: str, owner: Company | Molecule) -> Timeline:
        c = self.catalog
        listed = (c.deals_by_company if kind == "company" else c.deals_by_molecule)[owner.id]
        i = self.place[(kind, owner.id, deal.id)]
        return Timeline(owner, i + 1, len(listed), listed[i - 1] if i > 0 else None,
                        listed[i + 1] if i + 1 < len(listed) else None)

    def deal(self, deal: Deal) -> None:
        c = self.catalog
        products = [(c.products[p], c.molecules[c.products[p].molecule], c.companies[c.products[p].developer])
                    for p in deal.products]
        molecules_only = c.molecules_named_only(deal)
        self.page(uri_of(deal), "deal.md.j2", deal=deal,
                  parties=[(party, c.companies[party.company]) for party in deal.parties],
                  products=products,
                  named_molecules=molecules_only,
                  molecules=c.molecules_of_deal(deal),
                  territories=[c.territories[code.lower()] for code in deal.territories],
                  quotes=[(q, c.companies[q.company] if q.company else None) for q in deal.quotes],
                  timelines=[self.timeline(deal, "company", c.companies[x]) for x in deal.companies]
                  + [self.timeline(deal, "molecule", m) for m in c.molecules_of_deal(deal)],
                  unnamed=(deal.product_count - len(deal.products) - len(molecules_only)
                           if deal.product_count is not None else 0))

    def company(self, company: Company) -> None:
        c = self.catalog
        uri = uri_of(company)
        rows = [Row(deal, ", ".join(dict.fromkeys(p.role for p in deal.parties if p.company == company.id)))
                for deal in c.deals_by_company.get(company.id, ())]
        mentioned = [Row(d, _mention(d, company, c)) for d in c.deals_mentioning.get(company.id, ())]
        self.page(uri, "company.md.j2", company=company,
                  listing=self.listing(rows, uri, company.name, f"companies/{company.id}", "Role"),
                  country=territory(company.country).name if company.country else None,
                  products=[(p, c.molecules[p.molecule]) for p in c.products_by_developer.get(company.id, ())],
                  molecules=c.molecules_of_company(company.id),
                  partners=c.partners_of(company.id),
                  mentioned=self.listing(mentioned, uri, f"{company.name}, other deals",
                                         f"companies/{company.id}/involved", "Involvement"),
                  originated=sorted((m for m in c.molecules.values() if m.originator == company.id),
                                    key=lambda m: m.name.lower()))

    def molecule(self, molecule: Molecule) -> None:
        c = self.catalog
        self.page(uri_of(molecule), "molecule.md.j2", molecule=molecule,
                  originator=c.companies[molecule.originator] if molecule.originator else None,
                  products=[(p, c.companies[p.developer]) for p in c.products_by_molecule.get(molecule.id, ())],
                  listing=self.listing((Row(d) for d in c.deals_by_molecule.get(molecule.id, ())), uri_of(molecule),
                                       molecule.name, f"molecules/{molecule.id}"))

    def product(self, product: Product) -> None:
        c = self.catalog
        self.page(uri_of(product), "product.md.j2", product=product,
                  molecule=c.molecules[product.molecule],
                  developer=c.companies[product.developer],
                  approvals=[(a, c.territories[a.region.lower()]) for a in product.approvals],
                  listing=self.listing((Row(d) for d in c.deals_by_product.get(product.id, ())), uri_of(product),
                                       product.name, f"products/{product.id}"))

    def territory(self, place: Territory) -> None:
        c = self.catalog
        approvals = sorted(self.approvals_by_region.get(place.code, ()), key=lambda pair: (pair[0].date, pair[1].name))
        self.page(uri_of(place), "territory.md.j2", territory=place,
                  listing=self.listing((Row(d) for d in c.deals_by_territory.get(place.code, ())), uri_of(place),
                                       place.name, f"territories/{place.id}"),
                  approvals=approvals)


def _mention(deal: Deal, company: Company, catalog: Catalog) -> str:
    """Return why a deal that `company` is no party to still involves it."""
    products = [catalog.products[p].name for p in deal.products if catalog.products[p].developer == company.id]
    reasons = [f"developer of {', '.join(products)}"] if products else []
    if any(q.company == company.id for q in deal.quotes):
        reasons.append("quoted")
    return "; ".join(reasons)


def _by_year(deals: Iterable[Deal]) -> list[tuple[int, list[Deal]]]:
    years: dict[int, list[Deal]] = {}
    for deal in sorted(deals, key=newest_first):
        years.setdefault(deal.announced.year, []).append(deal)
    return list(years.items())


def render_pages(catalog: Catalog, env: jinja2.Environment | None = None, home_intro: str = "") -> dict[str, str]:
    """Return every generated page as `{src_uri: markdown}`."""
    return _Renderer(catalog, env or make_environment(), home_intro).render()

