"""The data contract: the one place that says which fields each kind of file has, and what each
type of field may hold.

`TYPES` gives every field type its check, its message and its JSON Schema; the validator
walks the shapes below with those checks, and the schema generator builds the editors'
JSON Schema from the same table, so the two cannot drift apart. Field names are the YAML keys.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import pycountry

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


class Kind(enum.StrEnum):
    """The type of a field's value (each item's, for a list)."""

    TEXT = "text"  # one line of plain text
    MARKDOWN = "markdown"
    DATE = "date"  # YYYY-MM-DD, from 1980 to today
    BOOL = "bool"
    INT = "int"  # a whole number, 0 or more
    NUMBER = "number"  # 0 or more
    URL = "url"  # an http(s) address
    SLUG = "slug"  # an id
    COUNTRY = "country"  # ISO 3166-1 alpha-2
    TERRITORY = "territory"  # a country or one of REGIONS
    CURRENCY = "currency"  # ISO 4217
    CHOICE = "choice"  # one of the field's choices
    MAPPING = "mapping"  # a mapping of the field's shape


# -- patterns: ids, dates, addresses and the links no page may carry ------------------------------

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG = re.compile(SLUG_PATTERN)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
URL_PATTERN = r"https?://[^\s/?#]+\S*"
URL = re.compile(URL_PATTERN)
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")
_SCHEMES = "|".join(UNSAFE_SCHEMES)
# a Markdown link or an autolink to one of them: [x](javascript:...), [x](<javascript:...>), <javascript:...>
UNSAFE_LINK = re.compile(rf"\]\(\s*<?\s*({_SCHEMES}):|<\s*({_SCHEMES}):", re.I)
# the same for JSON Schema, whose ECMA-262 patterns have no flags: each letter in either case
_EITHER = "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in scheme) for scheme in UNSAFE_SCHEMES)
UNSAFE_LINK_ECMA = rf"\]\(\s*<?\s*({_EITHER}):|<\s*({_EITHER}):"


def is_slug(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= SLUG_MAX and SLUG.fullmatch(value) is not None


@functools.lru_cache(maxsize=1024)
def is_country(code: str) -> bool:
    return code.isupper() and len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def is_currency(code: str) -> bool:
    return code.isupper() and len(code) == 3 and pycountry.currencies.get(alpha_3=code) is not None


def as_date(value: Any) -> dt.date | None:
    """Return the date a YAML value holds (a date or an ISO string), else None."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def slugify(text: str) -> str:
    """Return an id made of `text`: lowercase letters and digits joined by single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:SLUG_MAX].strip("-")


SLUG_RULE = f"lowercase letters, digits and single hyphens, at most {SLUG_MAX} characters"


def suggest(value: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


# Names and codes editors write for a territory that ISO 3166-1 or the regions spell otherwise.
TERRITORY_SYNONYMS = {"UK": "GB", "GREAT BRITAIN": "GB", "BRITAIN": "GB", "ENGLAND": "GB", "USA": "US",
                      "U.S.": "US", "U.S.A.": "US", "UNITED STATES": "US", "UAE": "AE", "KOREA": "KR",
                      "SOUTH KOREA": "KR", "EL": "GR", "GLOBAL": "WORLDWIDE", "WORLD": "WORLDWIDE",
                      "SOUTHEAST ASIA": "SEA", "SOUTH-EAST ASIA": "SEA", "MIDDLE EAST": "MIDDLE-EAST",
                      "NORTH AMERICA": "NORTH-AMERICA", "LATIN AMERICA": "LATAM", "ASIA-PACIFIC": "APAC",
                      "ASIA PACIFIC": "APAC", "EUROPEAN UNION": "EU"}


def suggest_country(value: str) -> str:
    """Return ' (did you mean 'JP'?)' when `value` names a country (Japan, JPN, jp, UK), or ''."""
    synonym = TERRITORY_SYNONYMS.get(value.strip().upper())
    if synonym and len(synonym) == 2:
        return f" (did you mean '{synonym}'?)"
    try:
        country = pycountry.countries.lookup(value.strip())
    except LookupError:
        return ""
    return f" (did you mean '{country.alpha_2}'?)"


def suggest_territory(value: str) -> str:
    """Return ' (did you mean 'X'?)' for a country or region `value` names (UK, USA, Worldwide), or ''."""
    synonym = TERRITORY_SYNONYMS.get(value.strip().upper())
    if synonym:
        return f" (did you mean '{synonym}'?)"
    if value.strip().upper() in REGIONS:
        return f" (did you mean '{value.strip().upper()}'?)"
    return suggest_country(value) or suggest(value.upper(), REGIONS)


def describe(value: Any) -> str:
    """Return what kind of value an editor wrote, in words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a mapping: its type, whether it is required, what it may hold."""

    name: str
    type: Kind
    required: bool = False
    many: bool = False  # a list of values of `type`
    nonempty: bool = False  # a list that must have at least one item
    choices: tuple[str, ...] = ()
    ref: str | None = None  # for slugs: the kind of record the id names
    shape: Shape | None = None  # for mappings
    doc: str = ""

    @property
    def unique(self) -> bool:
        """A list of ids, territories or texts names each once."""
        return self.many and self.type in (Kind.SLUG, Kind.TERRITORY, Kind.TEXT)


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    fields: tuple[Field, ...]
    doc: str = ""
    by_name: dict[str, Field] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> Field | None:
        return self.by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)


# -- the field types: each with its check, its message and its JSON Schema -------------------------

# A check returns None when a value is right for its field, else a complaint: a function of the
# field's dotted name that words the problem. Complaints are built only when something is wrong,
# so the common case costs one call and a few comparisons.
Complaint = Callable[[str], str]
Check = Callable[[Any, Field, dt.date], "Complaint | None"]


@dataclass(frozen=True, slots=True)
class Type:
    check: Check
    schema: Callable[[Field], dict[str, Any]]


def _countries() -> list[str]:
    return sorted(country.alpha_2 for country in pycountry.countries)


def _not_text(value: Any, field: Field) -> Complaint:
    hint = " (put it in quotes)" if isinstance(value, (int, float, bool, dt.date)) else ""
    if isinstance(value, bool) and field.type in (Kind.TERRITORY, Kind.COUNTRY):
        hint = " (yaml reads NO, Norway's code, as false: write it in quotes, \"NO\")"
    return lambda name: f"'{name}' must be text, found {describe(value)}{hint}"


def _unsafe(name: str) -> str:
    return f"'{name}' links to a javascript:, data: or file: address; only http(s) links are allowed"


def _check_text(value: Any, field: Field, today: dt.date) -> Complaint | None:
    if value.__class__ is not str:
        return _not_text(value, field)
    stripped = value.strip()
    if not stripped:
        return lambda name: f"'{name}' must not be empty"
    if "\n" in stripped:
        return lambda name: f"'{name}' must be a single line"
    return _unsafe if UNSAFE_LINK.search(value) else None


def _check_markdown(value: Any, field: Field, today: dt.date) -> Complaint | None:
    if value.__class__ is not str:
        return _not_text(value, field)
    if not value.strip():
        return lambda name: f"'{name}' must not be empty"
    return _unsafe if UNSAFE_LINK.search(value) else None


def _check_date(value: Any, field: Field, today: dt.date) -> Complaint | None:
    day = value if value.__class__ is dt.date else as_date(value)
    if day is None:
        return lambda name: f"'{name}' must be a date written YYYY-MM-DD, found {describe(value)} '{value}'"
    if day > today:
        return lambda name: f"'{name}' date {day.isoformat()} is in the future"
    if day.year < EARLIEST_DATE_YEAR:
        return lambda name: f"'{name}' date {day.isoformat()} is before {EARLIEST_DATE_YEAR}"
    return None


def _check_bool(value: Any, field: Field, today: dt.date) -> Complaint | None:
    if value.__class__ is bool:
        return None
    return lambda name: f"'{name}' must be true or false, found {describe(value)} '{value}'"


def _check_int(value: Any, field: Field, today: dt.date) -> Complaint | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return lambda name: f"'{name}' must be a whole number (0 or more), found {describe(value)} '{value}'"
    return None


def _check_number(value: Any, field: Field, today: dt.date) -> Complaint | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:  # NaN is no amount
        return lambda name: f"'{name}' must be a number, found {describe(value)} '{value}'"
    if value < 0:
        return lambda name: f"'{name}' must not be negative, found {value}"
    return None


def _string_check(test: Callable[[str, Field], bool], words: Callable[[str, Field], str]) -> Check:
    """A check of a value that must be text passing `test`; `words` says what else it should be."""
    def check(value: Any, field: Field, today: dt.date) -> Complaint | None:
        if value.__class__ is not str:
            return _not_text(value, field)
        if test(value, field):
            return None
        return lambda name: f"'{name}' value '{value}' {words(value, field)}"
    return check


def _territory_words(value: str, field: Field) -> str:
    return (f"is not an ISO 3166-1 alpha-2 country code or a region ({', '.join(REGIONS)})"
            f"{suggest_territory(value)}")


def _string(**schema: Any) -> Callable[[Field], dict[str, Any]]:
    return lambda field: {"type": "string", **schema}


def _mapping_schema(field: Field) -> dict[str, Any]:  # pragma: no cover - the schema generator recurses itself
    raise TypeError("a mapping's schema is its shape's")


TYPES: dict[Kind, Type] = {
    Kind.TEXT: Type(_check_text, _string(pattern=r"^\s*[^\n]*\S[^\n]*\s*$", **{"not": {"pattern": UNSAFE_LINK_ECMA}})),
    Kind.MARKDOWN: Type(_check_markdown, _string(pattern=r"\S", **{"not": {"pattern": UNSAFE_LINK_ECMA}})),
    Kind.DATE: Type(_check_date, _string(format="date", pattern=r"^(19[89]\d|[2-9]\d{3})-\d{2}-\d{2}$")),
    Kind.BOOL: Type(_check_bool, lambda field: {"type": "boolean"}),
    Kind.INT: Type(_check_int, lambda field: {"type": "integer", "minimum": 0}),
    Kind.NUMBER: Type(_check_number, lambda field: {"type": "number", "minimum": 0}),
    Kind.URL: Type(_string_check(lambda v, f: URL.fullmatch(v) is not None, lambda v, f: "is not an http(s) address"),
                   _string(pattern=rf"^{URL_PATTERN}$")),
    Kind.SLUG: Type(_string_check(lambda v, f: is_slug(v), lambda v, f: f"is not a valid id ({SLUG_RULE})"),
                    _string(pattern=rf"^{SLUG_PATTERN}$", maxLength=SLUG_MAX)),
    Kind.COUNTRY: Type(_string_check(lambda v, f: is_country(v),
                                     lambda v, f: "is not an ISO 3166-1 alpha-2 country code (e.g. JP, US, GB)"
                                                  + suggest_country(v)),
                       lambda field: {"type": "string", "enum": _countries()}),
    Kind.TERRITORY: Type(_string_check(lambda v, f: v in REGIONS or is_country(v), _territory_words),
                         lambda field: {"type": "string", "enum": _countries() + list(REGIONS)}),
    Kind.CURRENCY: Type(_string_check(lambda v, f: is_currency(v),
                                      lambda v, f: "is not an ISO 4217 currency code (e.g. USD, EUR, JPY)"),
                        lambda field: {"type": "string", "enum": sorted(c.alpha_3 for c in pycountry.currencies)}),
    Kind.CHOICE: Type(_string_check(lambda v, f: v in f.choices,
                                    lambda v, f: f"is not allowed{suggest(v, f.choices)}; "
                                                 f"allowed: {', '.join(f.choices)}"),
                      lambda field: {"type": "string", "enum": list(field.choices)}),
    Kind.MAPPING: Type(lambda value, field, today: None, _mapping_schema),
}


MONEY = Shape("money", (
    Field("amount", Kind.NUMBER, required=True, doc="The amount as stated, in full units (100000000 for 100 million)."),
    Field("currency", Kind.CURRENCY, required=True, doc="ISO 4217 code, e.g. USD, EUR, JPY."),
), doc="An amount of money.")

FINANCIALS = Shape("financials", (
    Field("disclosed", Kind.BOOL, doc="false when the source says the terms were not disclosed."),
    Field("upfront", Kind.MAPPING, shape=MONEY, doc="Upfront payment."),
    Field("milestones", Kind.MAPPING, shape=MONEY, doc="Milestone payments, in all."),
    Field("total", Kind.MAPPING, shape=MONEY, doc="Total deal value, as stated."),
    Field("royalties", Kind.TEXT, doc="Royalty terms, as stated."),
    Field("notes", Kind.MARKDOWN, doc="What the amounts mean."),
))

PARTY = Shape("party", (
    Field("company", Kind.SLUG, required=True, ref="company", doc="Company id (deals/companies.yaml)."),
    Field("role", Kind.CHOICE, required=True, choices=PARTY_ROLES),
    Field("responsibilities", Kind.TEXT, many=True, doc="What this party does under the deal."),
))

QUOTE = Shape("quote", (
    Field("text", Kind.TEXT, required=True, doc="The quoted words, exactly as published."),
    Field("person", Kind.TEXT, required=True),
    Field("position", Kind.TEXT),
    Field("company", Kind.SLUG, ref="company"),
))

SOURCE = Shape("source", (
    Field("url", Kind.URL, required=True, doc="http(s) address of the announcement or report."),
    Field("title", Kind.TEXT, doc="The page's headline, exactly as published; leave out if not known."),
    Field("publisher", Kind.TEXT, doc="Who published it."),
    Field("date", Kind.DATE, doc="Publication date, if shown."),
))

EVENT = Shape("event", (
    Field("date", Kind.DATE, required=True, doc="When it happened (YYYY-MM-DD), as the source dates it."),
    Field("kind", Kind.CHOICE, required=True, choices=EVENT_KINDS,
          doc="expanded, amended, extended, sublicensed, launched, closed (an acquisition completed), "
              "terminated or other."),
    Field("summary", Kind.MARKDOWN, required=True, doc="What happened, in the digest's own words."),
    Field("territories", Kind.TERRITORY, many=True,
          doc="The territories it concerns, when not the whole deal (a termination for US and CA only)."),
    Field("products", Kind.SLUG, many=True, ref="product", doc="The products it concerns, when not all of them."),
    Field("sources", Kind.MAPPING, required=True, many=True, nonempty=True, shape=SOURCE),
), doc="Something that happened to a deal after it was announced.")

DEAL = Shape("deal", (
    Field("title", Kind.TEXT, required=True, doc="One line naming the parties and what they agreed."),
    Field("announced", Kind.DATE, required=True, doc="Date of the announcement (YYYY-MM-DD)."),
    Field("updated", Kind.DATE, doc="When this entry last changed in a way readers should know about (a correction, "
          "terms disclosed later), YYYY-MM-DD; leave out until then. The home page and the feed list the "
          "deal as updated."),
    Field("type", Kind.CHOICE, required=True, choices=DEAL_TYPES),
    Field("status", Kind.CHOICE, choices=DEAL_STATUSES),
    Field("exclusive", Kind.BOOL),
    Field("parties", Kind.MAPPING, required=True, many=True, nonempty=True, shape=PARTY),
    Field("territories", Kind.TERRITORY, required=True, many=True, nonempty=True,
          doc="ISO 3166-1 alpha-2 codes or regions: " + ", ".join(REGIONS) + "."),
    Field("excluded_territories", Kind.TERRITORY, many=True,
          doc="Territories inside `territories` the deal leaves out "
              "(WORLDWIDE except CN: excluded_territories: [CN])."),
    Field("products", Kind.SLUG, many=True, ref="product", doc="Product ids the deal names."),
    Field("molecules", Kind.SLUG, many=True, ref="molecule",
          doc="Molecule ids for biosimilars the deal names only by molecule."),
    Field("product_count", Kind.INT, doc="How many biosimilars the deal covers, named or not."),
    Field("financials", Kind.MAPPING, shape=FINANCIALS),
    Field("rights", Kind.TEXT, many=True),
    Field("summary", Kind.MARKDOWN, required=True, doc="A few sentences in the digest's own words."),
    Field("quotes", Kind.MAPPING, many=True, shape=QUOTE),
    Field("sources", Kind.MAPPING, required=True, many=True, nonempty=True, shape=SOURCE),
    Field("tags", Kind.SLUG, many=True),
    Field("follows", Kind.SLUG, ref="deal",
          doc="Id of an earlier deal this one continues (a sublicence, a handover, an expansion signed anew)."),
    Field("events", Kind.MAPPING, many=True, shape=EVENT,
          doc="What happened after the announcement, oldest first: expansions, sublicences, launches, the end."),
    Field("status_checked", Kind.DATE,
          doc="When what happened after the announcement was last checked against sources (YYYY-MM-DD)."),
), doc="One biosimilar deal: deals/<year>/<deal-id>.yaml.")

APPROVAL = Shape("approval", (
    Field("region", Kind.TERRITORY, required=True, doc="ISO code or region (EU) the approval covers."),
    Field("date", Kind.DATE, required=True),
    Field("agency", Kind.TEXT, doc="FDA, European Commission, PMDA, MFDS..."),
    Field("name", Kind.TEXT, doc="The brand name approved, where the approval names one."),
    Field("source", Kind.MAPPING, shape=SOURCE,
          doc="Where the decision and its date are recorded: the regulator's own record (Drugs@FDA, the "
              "Union Register, an EPAR) or else a report that gives the decision's date."),
))

PRODUCT = Shape("product", (
    Field("name", Kind.TEXT, required=True, doc="Development code or brand, e.g. ABP 501."),
    Field("molecule", Kind.SLUG, required=True, ref="molecule"),
    Field("developer", Kind.SLUG, required=True, ref="company"),
    Field("brands", Kind.TEXT, many=True),
    Field("status", Kind.CHOICE, choices=PRODUCT_STATUSES),
    Field("approvals", Kind.MAPPING, many=True, shape=APPROVAL),
    Field("status_checked", Kind.DATE,
          doc="When the status and approvals were last checked against sources (YYYY-MM-DD)."),
    Field("notes", Kind.MARKDOWN),
), doc="One biosimilar product: deals/products/<product-id>.yaml.")

COMPANY_EVENT = Shape("company event", (
    Field("date", Kind.DATE, required=True, doc="When it took effect (YYYY-MM-DD)."),
    Field("summary", Kind.MARKDOWN, required=True, doc="What changed: a renaming, an acquisition, a spin-off."),
    Field("sources", Kind.MAPPING, required=True, many=True, nonempty=True, shape=SOURCE),
), doc="A change in a company's name or ownership.")

COMPANY = Shape("company", (
    Field("name", Kind.TEXT, required=True),
    Field("country", Kind.COUNTRY, doc="ISO 3166-1 alpha-2 code of the headquarters."),
    Field("aliases", Kind.TEXT, many=True,
          doc="Other full names the sources use (Mylan, Accord BioPharma); never a bare legal form such as "
              "Inc. or Ltd., and never a name another company also uses."),
    Field("parent", Kind.SLUG, ref="company",
          doc="Id of the group the company belongs to (Celltrion Healthcare: celltrion)."),
    Field("history", Kind.MAPPING, many=True, shape=COMPANY_EVENT,
          doc="Renamings and changes of owner, oldest first (Mylan became Viatris in 2020)."),
    Field("website", Kind.URL),
    Field("description", Kind.MARKDOWN),
), doc="One entry of deals/companies.yaml.")

MOLECULE = Shape("molecule", (
    Field("name", Kind.TEXT, required=True),
    Field("reference_brands", Kind.TEXT, required=True, many=True, nonempty=True),
    Field("originator", Kind.SLUG, ref="company"),
    Field("target", Kind.TEXT),
    Field("modality", Kind.TEXT),
), doc="One entry of deals/molecules.yaml, keyed by INN.")

SHAPES = {"deal": DEAL, "product": PRODUCT, "company": COMPANY, "molecule": MOLECULE}
