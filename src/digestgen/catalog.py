"""Valid records become one frozen `Catalog` whose cross-references are resolved once.

Deals, companies, molecules, products and territories form a graph, not a tree:
a deal names companies and products, a product names a molecule and a developer,
and every page lists what points at it. So every reference is checked and every
reverse index is built here, before anything is rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as default
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import pycountry

from .contract import REGIONS, SHAPES, Field, Shape, as_date, is_slug, suggest
from .load import DataPath, Record
from .matcher import Entry, Matcher
from .problems import Problem


@dataclass(frozen=True, slots=True)
class Money:
    amount: float
    currency: str


@dataclass(frozen=True, slots=True)
class Financials:
    disclosed: bool
    upfront: Money | None
    milestones: Money | None
    total: Money | None
    royalties: str | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class Party:
    company: str
    role: str
    responsibilities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    person: str
    position: str | None
    company: str | None


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    title: str | None
    publisher: str | None
    date: dt.date | None

    @property
    def label(self) -> str:
        """Return the text to show for the link: the headline, else the publisher, else the host."""
        return self.title or self.publisher or urlsplit(self.url).netloc


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to a deal after its announcement."""

    date: dt.date
    kind: str
    summary: str
    territories: tuple[str, ...]
    products: tuple[str, ...]
    sources: tuple[Source, ...]
    anchor: str  # the id of its place on the deal's page, stable while its date and kind stay

    @property
    def whole_deal(self) -> bool:
        return not self.territories and not self.products


@dataclass(frozen=True, slots=True)
class Deal:
    id: str
    path: str
    title: str
    announced: dt.date
    updated: dt.date | None
    type: str
    status: str | None
    exclusive: bool | None
    parties: tuple[Party, ...]
    territories: tuple[str, ...]
    products: tuple[str, ...]
    molecules: tuple[str, ...]
    product_count: int | None
    financials: Financials | None
    rights: tuple[str, ...]
    summary: str
    quotes: tuple[Quote, ...]
    sources: tuple[Source, ...]
    tags: tuple[str, ...]
    excluded_territories: tuple[str, ...] = ()
    follows: str | None = None
    events: tuple[Event, ...] = ()
    status_checked: dt.date | None = None

    @property
    def state(self) -> str | None:
        """The deal's status: the file's, else what its events say (see the editors' guide)."""
        if self.status:
            return self.status
        if any(e.kind == "terminated" and e.whole_deal for e in self.events):
            return "terminated"
        if self.type == "acquisition" and any(e.kind == "closed" for e in self.events):
            return "completed"
        return "active" if self.events else None

    @property
    def ended(self) -> bool:
        return self.state == "terminated"

    @property
    def changed(self) -> dt.date:
        """The date of the deal's last news for readers: its update, else its announcement."""
        return self.updated or self.announced

    @property
    def companies(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(party.company for party in self.parties))


@dataclass(frozen=True, slots=True)
class Approval:
    region: str
    date: dt.date
    agency: str | None
    name: str | None
    source: Source | None = None  # where the decision is recorded


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    path: str
    name: str
    molecule: str
    developer: str
    brands: tuple[str, ...]
    status: str | None
    approvals: tuple[Approval, ...]
    notes: str | None
    status_checked: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CompanyChange:
    """A renaming or a change of owner."""

    date: dt.date
    summary: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    path: str
    name: str
    country: str | None
    aliases: tuple[str, ...]
    website: str | None
    description: str | None
    parent: str | None = None
    history: tuple[CompanyChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Molecule:
    id: str
    path: str
    name: str
    reference_brands: tuple[str, ...]
    originator: str | None
    target: str | None
    modality: str | None


# Parties that bring a biosimilar to market for its developer.
COMMERCIAL_ROLES = ("licensee", "commercialiser", "distributor", "co-promoter", "acquirer", "partner")


@dataclass(frozen=True, slots=True)
class Territory:
    code: str
    name: str
    is_region: bool

    @property
    def id(self) -> str:
        return self.code.lower()


@dataclass(frozen=True, slots=True)
class Commercialiser:
    """A company that brings a developer's biosimilar to market, and where."""

    company: Company
    territories: tuple[Territory, ...]


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every entity by id, and every cross-reference in both directions."""

    deals: Mapping[str, Deal]
    companies: Mapping[str, Company]
    molecules: Mapping[str, Molecule]
    products: Mapping[str, Product]
    territories: Mapping[str, Territory]
    deals_by_company: Mapping[str, tuple[Deal, ...]]
    deals_by_molecule: Mapping[str, tuple[Deal, ...]]
    deals_by_product: Mapping[str, tuple[Deal, ...]]
    deals_by_territory: Mapping[str, tuple[Deal, ...]]
    # company id -> deals that quote it or name a product it develops, without it being a party
    deals_mentioning: Mapping[str, tuple[Deal, ...]]
    products_by_molecule: Mapping[str, tuple[Product, ...]]
    products_by_developer: Mapping[str, tuple[Product, ...]]
    # territory code -> deals that cover a region but leave the territory out
    deals_excluding: Mapping[str, tuple[Deal, ...]] = default(default_factory=lambda: MappingProxyType({}))
    # deal id -> later deals that follow it
    deals_following: Mapping[str, tuple[Deal, ...]] = default(default_factory=lambda: MappingProxyType({}))
    # company id -> companies whose parent it is
    subsidiaries: Mapping[str, tuple[Company, ...]] = default(default_factory=lambda: MappingProxyType({}))

    def counts(self) -> dict[str, int]:
        """Return how many of each kind of entity the digest holds."""
        return {"deals": len(self.deals), "companies": len(self.companies), "molecules": len(self.molecules),
                "products": len(self.products), "territories": len(self.territories)}

    def deals_newest_first(self) -> tuple[Deal, ...]:
        return tuple(sorted(self.deals.values(), key=newest_first))

    def deals_last_changed_first(self) -> tuple[Deal, ...]:
        """New and updated deals first: by the later of the announcement and the last update."""
        return tuple(sorted(self.deals.values(), key=lambda d: (-d.changed.toordinal(), d.id)))

    def molecules_of_deal(self, deal: Deal) -> tuple[Molecule, ...]:
        """Return the molecules a deal covers, through its products or directly."""
        return tuple(self.molecules[m] for m in molecule_ids(deal, self.products))

    def molecules_named_only(self, deal: Deal) -> tuple[Molecule, ...]:
        """Return the molecules a deal names that none of its products covers."""
        covered = {self.products[p].molecule for p in deal.products}
        return tuple(self.molecules[m] for m in deal.molecules if m not in covered)

    def molecules_of_company(self, company: str) -> tuple[Molecule, ...]:
        ids = [p.molecule for p in self.products_by_developer.get(company, ())]
        for deal in self.deals_by_company.get(company, ()):
            ids.extend(m.id for m in self.molecules_of_deal(deal))
        return tuple(sorted({self.molecules[m] for m in ids}, key=lambda m: m.name.lower()))

    def commercialisers(self, molecule: str, developer: str) -> tuple[Commercialiser, ...]:
        """Return who brings a developer's biosimilars of a molecule to market, and where: the parties
        (other than the developer, in a commercial role) of deals that name one of those biosimilars,
        or that name the molecule with the developer as a party, oldest deal first."""
        deals = {d.id: d for p in self.products_by_developer.get(developer, ()) if p.molecule == molecule
                 for d in self.deals_by_product.get(p.id, ())}
        deals.update((d.id, d) for d in self.deals_by_molecule.get(molecule, ())
                     if developer in d.companies and molecule in d.molecules)
        found: dict[str, list[Territory]] = {}
        for deal in sorted(deals.values(), key=lambda d: (d.announced, d.id)):
            for party in deal.parties:
                if party.company != developer and party.role in COMMERCIAL_ROLES:
                    places = found.setdefault(party.company, [])
                    places.extend(t for t in (self.territories[code.lower()] for code in deal.territories)
                                  if t not in places)
        return tuple(Commercialiser(self.companies[company], tuple(places)) for company, places in found.items())

    def partners_of(self, company: str) -> tuple[Company, ...]:
        ids = {c for deal in self.deals_by_company.get(company, ()) for c in deal.companies} - {company}
        return tuple(sorted((self.companies[c] for c in ids), key=lambda c: c.name.lower()))


@dataclass(frozen=True, slots=True)
class News:
    """One item of news: a deal (announced, or updated), or an event of a deal."""

    date: dt.date
    deal: Deal
    event: Event | None = None


def news_of(deals: Iterable[Deal], deal_date: Callable[[Deal], dt.date] | None = None) -> list[News]:
    """Return the deals' events, newest first; with `deal_date`, the deals too, each on that date
    (its announcement for a list of new deals, its last change for a feed)."""
    deals = tuple(deals)
    items = [News(e.date, d, e) for d in deals for e in d.events]
    if deal_date is not None:
        items += [News(deal_date(d), d) for d in deals]
    return sorted(items, key=news_order)


def news_order(item: News) -> tuple[int, bool, str, str]:
    """Newest first; on one day, events before deals, then by deal and event."""
    return (-item.date.toordinal(), item.event is None, item.deal.id, item.event.anchor if item.event else "")


def molecule_ids(deal: Deal, products: Mapping[str, Product]) -> tuple[str, ...]:
    """Return the ids of the molecules a deal covers, products' first, without repeats."""
    return tuple(dict.fromkeys([products[p].molecule for p in deal.products] + list(deal.molecules)))


def newest_first(deal: Deal) -> tuple[int, str]:
    return (-deal.announced.toordinal(), deal.id)


def territory(code: str) -> Territory:
    if code in REGIONS:
        return Territory(code, REGIONS[code], True)
    country = pycountry.countries.get(alpha_2=code)
    assert country is not None, code  # codes are validated before the catalog is built
    name = getattr(country, "common_name", None) or country.name  # "Korea, Republic of" -> "South Korea"
    return Territory(code, name, False)


# -- references ---------------------------------------------------------------------------------

def _walk_refs(data: Any, shape: Shape, path: DataPath) -> Iterator[tuple[Field, str, DataPath]]:
    """Yield (field, id, path) for every id a record's data refers to, skipping malformed parts."""
    if not isinstance(data, dict):
        return
    for field in shape.fields:
        value = data.get(field.name)
        if value is None:
            continue
        values = list(enumerate(value)) if field.many and isinstance(value, list) else [(None, value)]
        for index, item in values:
            item_path = path + ((field.name,) if index is None else (field.name, index))
            if field.ref and isinstance(item, str):
                yield field, item, item_path
            elif field.shape is not None:
                yield from _walk_refs(item, field.shape, item_path)


def _kept(field: Field) -> bool:
    return bool(field.ref) or field.type == "territory" or field.name in (
        "product_count", "announced", "name", "aliases", "brands")  # names: for the matcher


def _has_refs(shape: Shape) -> bool:
    return any(_kept(f) or (f.shape is not None and _has_refs(f.shape)) for f in shape.fields)


def _references_only(data: Any, shape: Shape) -> Any:
    if not isinstance(data, dict):
        return data
    kept: dict[str, Any] = {}
    for field in shape.fields:
        value = data.get(field.name)
        if value is None:
            continue
        if _kept(field):
            kept[field.name] = value
        elif field.shape is not None and _has_refs(field.shape):
            kept[field.name] = ([_references_only(item, field.shape) for item in value]
                                if field.many and isinstance(value, list) else _references_only(value, field.shape))
    return kept


def references_only(record: Record) -> Record:
    """Return the record with only its ids, territory codes and counts, each at its place."""
    return replace(record, data=_references_only(record.data, SHAPES[record.kind]))


def territory_codes(records: Iterable[Record]) -> set[str]:
    """Return the territory codes valid records name: the deals' and the approvals' regions."""
    codes: set[str] = set()
    for record in records:
        if record.kind == "deal":
            codes.update(record.data.get("territories") or ())
            codes.update(record.data.get("excluded_territories") or ())
            codes.update(c for e in record.data.get("events") or () for c in e.get("territories") or ())
        elif record.kind == "product":
            codes.update(a["region"] for a in record.data.get("approvals") or ())
    return codes


def check_references(records: Iterable[Record], unreadable: Iterable[tuple[str, str]] = ()) -> tuple[Problem, ...]:
    """Return a problem for every id that names no record, at the referring line.

    `unreadable` lists (kind, id) of files that exist but could not be read: they are
    reported already, and references to them are not reported again as missing.
    """
    records = tuple(records)
    known: dict[str, set[str]] = defaultdict(set)
    for record in records:
        known[record.kind].add(record.id)
    for kind, id_ in unreadable:
        known[kind].add(id_)
    matcher = Matcher(entries(records))
    problems = []
    for record in records:
        for field, ref, path in _walk_refs(record.data, SHAPES[record.kind], ()):
            assert field.ref is not None
            if ref not in known[field.ref] and is_slug(ref):  # a malformed id is reported as such already
                hint = matcher.suggest(field.ref, ref) or suggest(ref, known[field.ref])
                problems.append(record.problem(f"{field.ref} '{ref}' not found{hint}", *path))
    problems.extend(_clash_problems(matcher))
    problems.extend(_check_product_counts(records))
    problems.extend(_check_follows(records))
    return tuple(sorted(problems))


def entries(records: Iterable[Record]) -> Iterator[Entry]:
    """Yield every company, molecule and product with the names it goes by, for the matcher."""
    for record in records:
        data = record.data if isinstance(record.data, dict) else {}
        extra = {"company": "aliases", "product": "brands"}.get(record.kind)
        if record.kind not in ("company", "molecule", "product"):
            continue
        more = data.get(extra) if extra else None  # malformed data is reported as such already
        names = [record.id, data.get("name"), *(more if isinstance(more, list) else ())]
        # the line only when a message needs it: a product's lines are worked out from its text
        yield Entry(record.kind, record.id, tuple(n for n in names if isinstance(n, str)), record.path,
                    functools.partial(record.line_of, "name"))


def _clash_problems(matcher: Matcher) -> Iterator[Problem]:
    """Two companies, molecules or products go by one name: one of them is a duplicate.

    Fails:
        fresenius: {name: Fresenius Kabi}   # while fresenius-kabi has the alias Fresenius Kabi
    """
    for clash in matcher.clashes():
        first, second = clash.first, clash.second
        yield Problem(second.path, second.line,
                      f"{second.kind} '{second.id}' goes by '{clash.name}', as {first.kind} '{first.id}' does "
                      f"({first.path}:{first.line}); if they are one {first.kind}, keep one entry, otherwise "
                      "tell them apart")


def _check_follows(records: tuple[Record, ...]) -> Iterator[Problem]:
    """A deal follows an earlier deal, not itself or a later one.

    Fails:
        announced: 2016-07-13
        follows: a-deal-announced-in-2018
    """
    announced = {r.id: r.data.get("announced") for r in records if r.kind == "deal" and isinstance(r.data, dict)}
    for record in records:
        if record.kind != "deal" or not isinstance(record.data, dict):
            continue
        follows, day = record.data.get("follows"), record.data.get("announced")
        if not isinstance(follows, str) or follows not in announced:
            continue
        earlier = announced[follows]
        if follows == record.id:
            yield record.problem("a deal cannot follow itself", "follows")
        elif isinstance(day, dt.date) and isinstance(earlier, dt.date) and earlier > day:
            yield record.problem(f"'follows' names '{follows}', announced {earlier.isoformat()}, after this deal "
                                 f"({day.isoformat()}); a deal follows an earlier one", "follows")


def _named_count(deal: dict[str, Any], product_molecule: Mapping[str, Any]) -> int:
    """Return how many biosimilars a deal names: its products, plus molecules no product covers."""
    products = [p for p in deal.get("products") or () if isinstance(p, str)]
    covered = {product_molecule.get(p) for p in products}
    molecules = [m for m in deal.get("molecules") or () if isinstance(m, str) and m not in covered]
    return len(set(products)) + len(set(molecules))


def _check_product_counts(records: tuple[Record, ...]) -> Iterator[Problem]:
    """A deal covers at least as many biosimilars as it names.

    Fails:
        products: [abp-501, abp-980]
        product_count: 1
    """
    product_molecule = {r.id: r.data.get("molecule") for r in records
                        if r.kind == "product" and isinstance(r.data, dict)}
    for record in records:
        if record.kind != "deal" or not isinstance(record.data, dict):
            continue
        count = record.data.get("product_count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            continue  # not a count: reported by the contract check
        if not all(isinstance(record.data.get(k) or [], list) for k in ("products", "molecules")):
            continue
        named = _named_count(record.data, product_molecule)
        if count < named:
            yield record.problem(f"'product_count' is {count} but the deal names {named} biosimilars "
                                 "(its products, and molecules none of its products covers)", "product_count")


# -- building -------------------------------------------------------------------------------------

def _money(data: Any) -> Money | None:
    return Money(data["amount"], data["currency"]) if data else None


def _deal(record: Record) -> Deal:
    d = record.data
    fin = d.get("financials")
    financials = None
    if fin:
        amounts = [fin.get(k) for k in ("upfront", "milestones", "total")]
        financials = Financials(
            disclosed=fin.get("disclosed", any(amounts)),
            upfront=_money(fin.get("upfront")),
            milestones=_money(fin.get("milestones")),
            total=_money(fin.get("total")),
            royalties=fin.get("royalties"),
            notes=fin.get("notes"),
        )
    return Deal(
        id=record.id,
        path=record.path,
        title=d["title"].strip(),
        announced=as_date(d["announced"]),  # type: ignore[arg-type]
        updated=as_date(d.get("updated")),
        type=d["type"],
        status=d.get("status"),
        exclusive=d.get("exclusive"),
        parties=tuple(Party(p["company"], p["role"], tuple(p.get("responsibilities") or ())) for p in d["parties"]),
        territories=tuple(d["territories"]),
        products=tuple(d.get("products") or ()),
        molecules=tuple(d.get("molecules") or ()),
        product_count=d.get("product_count"),
        financials=financials,
        rights=tuple(d.get("rights") or ()),
        summary=d["summary"],
        quotes=tuple(Quote(q["text"].strip(), q["person"], q.get("position"), q.get("company"))
                     for q in d.get("quotes") or ()),
        sources=_sources(d["sources"]),
        tags=tuple(d.get("tags") or ()),
        excluded_territories=tuple(d.get("excluded_territories") or ()),
        follows=d.get("follows"),
        events=_events(d.get("events") or ()),
        status_checked=as_date(d.get("status_checked")),
    )


def _sources(data: Iterable[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(s["url"].strip(), s.get("title"), s.get("publisher"), as_date(s.get("date"))) for s in data)


def _events(data: Iterable[dict[str, Any]]) -> tuple[Event, ...]:
    """Return a deal's events, each with an anchor made of its date and kind (numbered when repeated)."""
    events: list[Event] = []
    seen: Counter[str] = Counter()
    for e in data:
        day = as_date(e["date"])
        base = f"event-{day.isoformat()}-{e['kind']}"  # type: ignore[union-attr]
        seen[base] += 1
        events.append(Event(day, e["kind"], e["summary"], tuple(e.get("territories") or ()),  # type: ignore[arg-type]
                            tuple(e.get("products") or ()), _sources(e["sources"]),
                            base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return tuple(events)


def _product(record: Record) -> Product:
    d = record.data
    approvals = tuple(sorted(
        (Approval(a["region"], as_date(a["date"]), a.get("agency"), a.get("name"),  # type: ignore[arg-type]
                  _sources([a["source"]])[0] if a.get("source") else None)
         for a in d.get("approvals") or ()),
        key=lambda a: (a.date, a.region)))
    return Product(record.id, record.path, d["name"], d["molecule"], d["developer"],
                   tuple(d.get("brands") or ()), d.get("status"), approvals, d.get("notes"),
                   as_date(d.get("status_checked")))


def _company(record: Record) -> Company:
    d = record.data
    return Company(record.id, record.path, d["name"], d.get("country"), tuple(d.get("aliases") or ()),
                   d.get("website"), d.get("description"), d.get("parent"),
                   tuple(CompanyChange(as_date(h["date"]), h["summary"], _sources(h["sources"]))  # type: ignore[arg-type]
                         for h in d.get("history") or ()))


def _molecule(record: Record) -> Molecule:
    d = record.data
    return Molecule(record.id, record.path, d["name"], tuple(d["reference_brands"]), d.get("originator"),
                    d.get("target"), d.get("modality"))


DealIndex = dict[str, list[Deal]]


def _deal_indexes(deals: Mapping[str, Deal], products: Mapping[str, Product]) -> dict[str, DealIndex]:
    """Return the deals listed by each thing they name, newest first: {index name: {id: deals}}."""
    index: dict[str, DealIndex] = {name: defaultdict(list) for name in (
        "company", "molecule", "product", "territory", "mentioning", "excluding", "following")}
    for deal in sorted(deals.values(), key=newest_first):
        others = [q.company for q in deal.quotes if q.company] + [products[p].developer for p in deal.products]
        keys = {
            "company": deal.companies,
            "product": deal.products,
            "molecule": molecule_ids(deal, products),
            "territory": deal.territories,
            "excluding": deal.excluded_territories,
            "following": (deal.follows,) if deal.follows else (),
            "mentioning": [c for c in dict.fromkeys(others) if c not in deal.companies],
        }
        for name, ids in keys.items():
            for key in ids:
                index[name][key].append(deal)
    for later in index["following"].values():
        later.sort(key=lambda d: (d.announced, d.id))  # oldest first: the order they followed in
    return index


def build_catalog(records: Iterable[Record]) -> Catalog:
    """Return the catalog of records that passed validation and reference checks."""
    builders = {"deal": _deal, "product": _product, "company": _company, "molecule": _molecule}
    entities: dict[str, dict[str, Any]] = {kind: {} for kind in builders}
    for record in sorted(records, key=lambda r: (r.kind, r.id)):
        entities[record.kind][record.id] = builders[record.kind](record)
    deals: dict[str, Deal] = entities["deal"]
    products: dict[str, Product] = entities["product"]
    index = _deal_indexes(deals, products)

    by_molecule_products: dict[str, list[Product]] = defaultdict(list)
    by_developer: dict[str, list[Product]] = defaultdict(list)
    for product in sorted(products.values(), key=lambda p: p.name.lower()):
        by_molecule_products[product.molecule].append(product)
        by_developer[product.developer].append(product)

    codes = set(index["territory"]) | set(index["excluding"])
    codes |= {c for d in deals.values() for e in d.events for c in e.territories}
    codes |= {a.region for p in products.values() for a in p.approvals}
    territories = {t.id: t for t in sorted((territory(c) for c in codes), key=lambda t: t.name)}

    subsidiaries: dict[str, list[Company]] = defaultdict(list)
    for company in sorted(entities["company"].values(), key=lambda c: c.name.lower()):
        if company.parent:
            subsidiaries[company.parent].append(company)

    def freeze(index: Mapping[str, list[Any]]) -> Mapping[str, tuple[Any, ...]]:
        return _frozen({key: tuple(value) for key, value in index.items()})

    return Catalog(
        deals=_frozen(deals),
        companies=_frozen(entities["company"]),
        molecules=_frozen(entities["molecule"]),
        products=_frozen(products),
        territories=_frozen(territories),
        deals_by_company=freeze(index["company"]),
        deals_by_molecule=freeze(index["molecule"]),
        deals_by_product=freeze(index["product"]),
        deals_by_territory=freeze(index["territory"]),
        deals_mentioning=freeze(index["mentioning"]),
        products_by_molecule=freeze(by_molecule_products),
        products_by_developer=freeze(by_developer),
        deals_excluding=freeze(index["excluding"]),
        deals_following=freeze(index["following"]),
        subsidiaries=freeze(subsidiaries),
    )
