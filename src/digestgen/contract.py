"""The data contract: the one place that says which fields each kind of file has.

The validator walks these shapes, and the JSON Schema for editors is generated from
them, so the two cannot drift apart. Field names are the YAML keys.
"""

from __future__ import annotations

from dataclasses import dataclass

DEAL_TYPES = (
    "licensing", "commercialisation", "co-development", "co-promotion", "distribution", "supply",
    "manufacturing", "acquisition", "joint-venture", "settlement", "other",
)
DEAL_STATUSES = ("announced", "active", "completed", "terminated")
EVENT_KINDS = ("expanded", "amended", "extended", "sublicensed", "launched", "closed", "terminated", "other")
# How readers see an event's kind, in headings and feed titles.
EVENT_LABELS = {"expanded": "Expanded", "amended": "Amended", "extended": "Extended", "sublicensed": "Sublicensed",
                "launched": "Launched", "closed": "Closed", "terminated": "Ended", "other": "News"}
PARTY_ROLES = (
    "licensor", "licensee", "developer", "manufacturer", "commercialiser", "distributor",
    "co-promoter", "acquirer", "seller", "partner",
)
PRODUCT_STATUSES = ("preclinical", "phase-1", "phase-3", "filed", "approved", "launched", "discontinued")
REGIONS = {
    "EU": "European Union",
    "EEA": "European Economic Area",
    "EUROPE": "Europe",
    "NORTH-AMERICA": "North America",
    "LATAM": "Latin America",
    "APAC": "Asia-Pacific",
    "MENA": "Middle East and North Africa",
    "MIDDLE-EAST": "Middle East",
    "AFRICA": "Africa",
    "ASIA": "Asia",
    "SEA": "South-East Asia",
    "WORLDWIDE": "Worldwide",
}
SLUG_MAX = 80
EARLIEST_DATE_YEAR = 1980


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a mapping: its type, whether it is required, what it may hold."""

    name: str
    type: str  # text | markdown | date | bool | int | number | url | slug | country | territory | currency | choice | mapping
    required: bool = False
    many: bool = False  # a list of values of `type`
    nonempty: bool = False  # a list that must have at least one item
    choices: tuple[str, ...] = ()
    ref: str | None = None  # for slugs: the kind of record the id names
    shape: "Shape | None" = None  # for mappings
    doc: str = ""


_FIELDS_BY_NAME: dict[int, dict[str, Field]] = {}  # shapes are module constants, so id() is stable


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    fields: tuple[Field, ...]
    doc: str = ""

    def field(self, name: str) -> Field | None:
        return _FIELDS_BY_NAME.setdefault(id(self), {f.name: f for f in self.fields}).get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)


MONEY = Shape("money", (
    Field("amount", "number", required=True, doc="The amount as stated, in full units (100000000 for 100 million)."),
    Field("currency", "currency", required=True, doc="ISO 4217 code, e.g. USD, EUR, JPY."),
), doc="An amount of money.")

FINANCIALS = Shape("financials", (
    Field("disclosed", "bool", doc="false when the source says the terms were not disclosed."),
    Field("upfront", "mapping", shape=MONEY, doc="Upfront payment."),
    Field("milestones", "mapping", shape=MONEY, doc="Milestone payments, in all."),
    Field("total", "mapping", shape=MONEY, doc="Total deal value, as stated."),
    Field("royalties", "text", doc="Royalty terms, as stated."),
    Field("notes", "markdown", doc="What the amounts mean."),
))

PARTY = Shape("party", (
    Field("company", "slug", required=True, ref="company", doc="Company id (deals/companies.yaml)."),
    Field("role", "choice", required=True, choices=PARTY_ROLES),
    Field("responsibilities", "text", many=True, doc="What this party does under the deal."),
))

QUOTE = Shape("quote", (
    Field("text", "text", required=True, doc="The quoted words, exactly as published."),
    Field("person", "text", required=True),
    Field("position", "text"),
    Field("company", "slug", ref="company"),
))

SOURCE = Shape("source", (
    Field("url", "url", required=True, doc="http(s) address of the announcement or report."),
    Field("title", "text", doc="The page's headline, exactly as published; leave out if not known."),
    Field("publisher", "text", doc="Who published it."),
    Field("date", "date", doc="Publication date, if shown."),
))

EVENT = Shape("event", (
    Field("date", "date", required=True, doc="When it happened (YYYY-MM-DD), as the source dates it."),
    Field("kind", "choice", required=True, choices=EVENT_KINDS,
          doc="expanded, amended, extended, sublicensed, launched, closed (an acquisition completed), "
              "terminated or other."),
    Field("summary", "markdown", required=True, doc="What happened, in the digest's own words."),
    Field("territories", "territory", many=True,
          doc="The territories it concerns, when not the whole deal (a termination for US and CA only)."),
    Field("products", "slug", many=True, ref="product", doc="The products it concerns, when not all of them."),
    Field("sources", "mapping", required=True, many=True, nonempty=True, shape=SOURCE),
), doc="Something that happened to a deal after it was announced.")

DEAL = Shape("deal", (
    Field("title", "text", required=True, doc="One line naming the parties and what they agreed."),
    Field("announced", "date", required=True, doc="Date of the announcement (YYYY-MM-DD)."),
    Field("updated", "date", doc="When this entry last changed in a way readers should know about (a correction, "
          "terms disclosed later), YYYY-MM-DD; leave out until then. The home page and the feed list the "
          "deal as updated."),
    Field("type", "choice", required=True, choices=DEAL_TYPES),
    Field("status", "choice", choices=DEAL_STATUSES),
    Field("exclusive", "bool"),
    Field("parties", "mapping", required=True, many=True, nonempty=True, shape=PARTY),
    Field("territories", "territory", required=True, many=True, nonempty=True,
          doc="ISO 3166-1 alpha-2 codes or regions: " + ", ".join(REGIONS) + "."),
    Field("excluded_territories", "territory", many=True,
          doc="Territories inside `territories` the deal leaves out (WORLDWIDE except CN: excluded_territories: [CN])."),
    Field("products", "slug", many=True, ref="product", doc="Product ids the deal names."),
    Field("molecules", "slug", many=True, ref="molecule",
          doc="Molecule ids for biosimilars the deal names only by molecule."),
    Field("product_count", "int", doc="How many biosimilars the deal covers, named or not."),
    Field("financials", "mapping", shape=FINANCIALS),
    Field("rights", "text", many=True),
    Field("summary", "markdown", required=True, doc="A few sentences in the digest's own words."),
    Field("quotes", "mapping", many=True, shape=QUOTE),
    Field("sources", "mapping", required=True, many=True, nonempty=True, shape=SOURCE),
    Field("tags", "slug", many=True),
    Field("follows", "slug", ref="deal",
          doc="Id of an earlier deal this one continues (a sublicence, a handover, an expansion signed anew)."),
    Field("events", "mapping", many=True, shape=EVENT,
          doc="What happened after the announcement, oldest first: expansions, sublicences, launches, the end."),
    Field("status_checked", "date",
          doc="When what happened after the announcement was last checked against sources (YYYY-MM-DD)."),
), doc="One biosimilar deal: deals/<year>/<deal-id>.yaml.")

APPROVAL = Shape("approval", (
    Field("region", "territory", required=True, doc="ISO code or region (EU) the approval covers."),
    Field("date", "date", required=True),
    Field("agency", "text", doc="FDA, European Commission, PMDA, MFDS..."),
    Field("name", "text", doc="The brand name approved, where the approval names one."),
))

PRODUCT = Shape("product", (
    Field("name", "text", required=True, doc="Development code or brand, e.g. ABP 501."),
    Field("molecule", "slug", required=True, ref="molecule"),
    Field("developer", "slug", required=True, ref="company"),
    Field("brands", "text", many=True),
    Field("status", "choice", choices=PRODUCT_STATUSES),
    Field("approvals", "mapping", many=True, shape=APPROVAL),
    Field("status_checked", "date",
          doc="When the status and approvals were last checked against sources (YYYY-MM-DD)."),
    Field("notes", "markdown"),
), doc="One biosimilar product: deals/products/<product-id>.yaml.")

COMPANY_EVENT = Shape("company event", (
    Field("date", "date", required=True, doc="When it took effect (YYYY-MM-DD)."),
    Field("summary", "markdown", required=True, doc="What changed: a renaming, an acquisition, a spin-off."),
    Field("sources", "mapping", required=True, many=True, nonempty=True, shape=SOURCE),
), doc="A change in a company's name or ownership.")

COMPANY = Shape("company", (
    Field("name", "text", required=True),
    Field("country", "country", doc="ISO 3166-1 alpha-2 code of the headquarters."),
    Field("aliases", "text", many=True,
          doc="Other full names the sources use (Mylan, Accord BioPharma); never a bare legal form such as "
              "Inc. or Ltd., and never a name another company also uses."),
    Field("parent", "slug", ref="company",
          doc="Id of the group the company belongs to (Celltrion Healthcare: celltrion)."),
    Field("history", "mapping", many=True, shape=COMPANY_EVENT,
          doc="Renamings and changes of owner, oldest first (Mylan became Viatris in 2020)."),
    Field("website", "url"),
    Field("description", "markdown"),
), doc="One entry of deals/companies.yaml.")

MOLECULE = Shape("molecule", (
    Field("name", "text", required=True),
    Field("reference_brands", "text", required=True, many=True, nonempty=True),
    Field("originator", "slug", ref="company"),
    Field("target", "text"),
    Field("modality", "text"),
), doc="One entry of deals/molecules.yaml, keyed by INN.")

SHAPES = {"deal": DEAL, "product": PRODUCT, "company": COMPANY, "molecule": MOLECULE}
