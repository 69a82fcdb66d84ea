"""`digestgen draft URL|FILE`: a deal file started from a press release.

The page is read for what it says about itself (headline, publication date, publisher, its own
address: OpenGraph, JSON-LD and the like, by trafilatura), and its text for what the data folder
knows: the companies, products and molecules it names (the matcher's names, aliases, codes and
brands) and the places (country names, regions, "worldwide", and those it leaves out: "except
China"). Everything found in the text is a guess and is marked `# draft:` in the file for the editor
to confirm; the summary is left for the editor to write, never taken from the page.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry
import trafilatura

from .contract import REGIONS, TERRITORY_SYNONYMS, is_slug, slugify
from .matcher import Entry, normalise
from .scaffold import ScaffoldError, Written, catalog_matcher, data_records, render_deal, schema_path, write_new

USER_AGENT = "digestgen-draft (+https://biosimilar-deal-digest.github.io/digest/)"
MARK = "# draft:"
_LONGEST_NAME = 6  # words in the longest name looked for in the text ("Middle East and North Africa")


class DraftError(ScaffoldError):
    pass


@dataclass(frozen=True)
class Page:
    html: str
    url: str | None  # where it was read from, after redirects (None for a saved file)


@dataclass(frozen=True)
class Facts:
    """What the page says about itself, and its text."""

    title: str | None
    date: str | None
    publisher: str | None
    url: str | None
    description: str | None
    text: str


@dataclass
class Guess:
    """What the text suggests, each with the reason to show the editor."""

    companies: list[Entry] = field(default_factory=list)
    products: list[Entry] = field(default_factory=list)
    molecules: list[Entry] = field(default_factory=list)
    territories: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # places the text says the deal leaves out
    type: str | None = None
    type_word: str = ""
    exclusive: bool | None = None
    financials: dict[str, Any] = field(default_factory=dict)
    amounts: list[str] = field(default_factory=list)  # each money phrase found, to show the editor


def read_page(source: str, timeout: float) -> Page:
    """Return the page at an http(s) address (redirects followed) or in a saved file."""
    if urlsplit(source).scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                body = answer.read()
                charset = answer.headers.get_content_charset() or "utf-8"
                return Page(body.decode(charset, errors="replace"), answer.geturl())
        except urllib.error.HTTPError as error:
            raise DraftError(f"{source} answers {error.code} {error.reason}") from None
        except TimeoutError:
            raise DraftError(f"{source} did not answer within {timeout:g} s (try --timeout)") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise DraftError(f"{source} did not answer within {timeout:g} s (try --timeout)") from None
            raise DraftError(f"{source} cannot be read: {reason}") from None
    path = Path(source)
    if not path.is_file():
        raise DraftError(f"{source} is neither an http(s) address nor a saved page")
    try:
        return Page(path.read_text(encoding="utf-8", errors="replace"), None)
    except OSError as error:
        raise DraftError(f"{source} cannot be read: {error.strerror}") from None


def page_facts(page: Page) -> Facts:
    """Return the page's headline, date, publisher and address (from its metadata), and its text."""
    meta = trafilatura.extract_metadata(page.html, default_url=page.url)
    text = trafilatura.extract(page.html, include_comments=False, include_tables=False, favor_recall=True) or ""
    url = meta.url if meta and meta.url and urlsplit(meta.url).scheme in ("http", "https") else page.url
    return Facts(title=meta.title if meta else None, date=meta.date if meta else None,
                 publisher=meta.sitename if meta else None, url=url,
                 description=meta.description if meta else None, text=text)


# --- what the text names ----------------------------------------------------------------------

_WORD = re.compile(r"[\w.&'’+-]+")
# "TOKYO, Japan, March 4, 2026 – " or "INCHEON, Korea, Dec. 1, 2025 /PRNewswire/ -- ": where the
# release was issued, not where the deal is
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{2,}(,[^\n–—]{0,60})?\s[–—-]{1,2}\s", re.M)
_ABOUT = re.compile(r"^\s*About\s", re.M)  # "About Alvotech": the companies' boilerplate, not the deal
# Codes a release writes in capitals; in lower case "us" is a word, not a country.
_CODES = {"US": "US", "USA": "US", "U.S": "US", "U.S.A": "US", "UK": "GB", "EU": "EU", "EEA": "EEA",
          "UAE": "AE", "MENA": "MENA", "LATAM": "LATAM", "APAC": "APAC", "ASEAN": "SEA"}


def deal_text(text: str) -> str:
    """Return the part of a release that tells of the deal: no "About us" sections."""
    about = _ABOUT.search(text)
    return text[:about.start()] if about else text


def _runs(words: list[str]) -> Iterator[tuple[int, int, str]]:
    """Yield every run of one to six words as (where it starts, its length, its words normalised), in order."""
    for start in range(len(words)):
        for end in range(start + 1, min(start + _LONGEST_NAME, len(words)) + 1):
            yield start, end - start, normalise(" ".join(words[start:end]))


def _words(text: str) -> list[str]:
    return [w.strip(".'’-") for w in _WORD.findall(text)]


def _place_names() -> dict[str, str]:
    """Every place name a release may spell out, normalised, with its territory code."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if name:
                names[normalise(name)] = country.alpha_2
    names.update({normalise(name): code for code, name in REGIONS.items() if code != "WORLDWIDE"})
    names.update({normalise(name): code for name, code in TERRITORY_SYNONYMS.items()
                  if len(name) > 4 and code != "WORLDWIDE"})
    names.update({"worldwide": "WORLDWIDE", "globally": "WORLDWIDE", "africa": "AFRICA", "asia": "ASIA",
                  "middleeastandnorthafrica": "MENA"})
    return names


def mentions(text: str, entries: Iterable[Entry]) -> list[Entry]:
    """Return the entries whose names (three letters or more) the text uses, in order of first use."""
    by_name: dict[str, Entry] = {}
    for entry in entries:
        for name in entry.names:
            key = normalise(name)
            if len(key) >= 3:
                by_name.setdefault(key, entry)
    found: dict[str, Entry] = {}
    for _, _, phrase in _runs(_words(text)):
        named = by_name.get(phrase)
        if named is not None:
            found.setdefault(named.id, named)
    return list(found.values())


# Words that make the places after them ones the deal leaves out ("worldwide except China",
# "excluding Japan and Korea", "outside the US", "ex-US", "other than", "with the exception of"),
# and the words that may stand between such a word and its places without ending the list.
_EXCEPT = {"except", "excluding", "excludes", "exclude", "outside", "ex", "exception"}
_LINKS = {"for", "of", "the", "and", "or", "mainland", "greater", "other", "with", "in", "its"}


def _place_hits(words: list[str]) -> dict[int, tuple[int, str]]:
    """Map where each place name starts to where it ends and its code, taking the longest name first
    ("South Africa" is ZA, not also AFRICA)."""
    names = _place_names()
    hits: dict[int, tuple[int, str]] = {}
    start = 0
    while start < len(words):
        for end in range(min(start + _LONGEST_NAME, len(words)), start, -1):
            phrase = normalise(" ".join(words[start:end]))
            if end - start == 1 and words[start] in _CODES:
                hits[start] = (end, _CODES[words[start]])
                break
            if phrase in names and (end - start > 1 or len(phrase) > 3):
                hits[start] = (end, names[phrase])
                break
        start = hits[start][0] if start in hits else start + 1
    return hits


def places(text: str) -> tuple[list[str], list[str]]:
    """Return the territory codes of the places the text names, in order, and of those it says the
    deal leaves out ("worldwide except China"); datelines and amounts left out."""
    body = re.sub(r"\b([Ee]x)-(?=[A-Z])", r"\1 ", _MONEY.sub(" ", _DATELINE.sub("", text)))
    words = _words(body)
    hits = _place_hits(words)
    covered: dict[str, None] = {}
    excluded: dict[str, None] = {}
    excluding = False
    index = 0
    while index < len(words):
        if index in hits:
            index, code = hits[index]
            (excluded if excluding else covered)[code] = None
            continue
        word = words[index].lower()
        if word in _EXCEPT or (word == "than" and index and words[index - 1].lower() == "other"):
            excluding = True
        elif word not in _LINKS:
            excluding = False
        index += 1
    if "MENA" in covered:  # "Middle East and North Africa": its parts are not places of their own then
        covered.pop("MIDDLE-EAST", None)
        covered.pop("AFRICA", None)
    return list(covered), [code for code in excluded if code not in covered]


# The first rule whose words the text uses gives the type: a settlement or an acquisition often
# also "licenses", so they come first.
_TYPE_WORDS = (
    ("settlement", ("settle", "settlement")),
    ("acquisition", ("acquire", "acquires", "acquired", "acquisition")),
    ("joint-venture", ("joint venture",)),
    ("co-promotion", ("co-promote", "co-promotion", "copromotion")),
    ("co-development", ("co-develop", "co-development", "jointly develop")),
    ("licensing", ("license", "licence", "licensing", "licencing", "licensed", "licenced", "in-license",
                   "out-license")),
    ("commercialisation", ("commercialization", "commercialisation", "commercialize", "commercialise")),
    ("distribution", ("distribution", "distribute")),
    ("supply", ("supply agreement", "supply and")),
    ("manufacturing", ("manufacturing agreement", "contract manufacturing")),
)


def deal_type(text: str) -> tuple[str | None, str]:
    lower = text.lower()
    for kind, words in _TYPE_WORDS:
        for word in words:
            if re.search(rf"\b{re.escape(word)}", lower):
                return kind, word
    return None, ""


_SYMBOLS = {"us$": "USD", "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
            "¥": "JPY", "jpy": "JPY", "krw": "KRW", "₩": "KRW", "chf": "CHF", "inr": "INR", "rs.": "INR",
            "cny": "CNY", "rmb": "CNY"}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "mn": 1_000_000, "m": 1_000_000, "billion": 1_000_000_000,
           "bn": 1_000_000_000, "b": 1_000_000_000}
_MONEY = re.compile(r"(?P<cur>US\$|\$|€|£|¥|₩|USD|EUR|GBP|JPY|KRW|CHF|INR|CNY|RMB|Rs\.)\s?"
                    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<scale>thousand|million|billion|mn|bn|m|b)?\b",
                    re.IGNORECASE)
_TERMS = (("upfront", ("upfront", "up-front", "up front")), ("milestones", ("milestone",)),
          ("total", ("total", "up to", "aggregate", "worth")))


def money(text: str) -> tuple[dict[str, Any], list[str]]:
    """Return the terms a sentence names beside an amount (upfront, milestones, total), and each amount."""
    terms: dict[str, Any] = {}
    phrases = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for match in _MONEY.finditer(sentence):
            phrases.append(match.group(0).strip())
            amount = float(match["num"].replace(",", "")) * _SCALES.get((match["scale"] or "").lower(), 1)
            value = {"amount": int(amount) if amount.is_integer() else amount,
                     "currency": _SYMBOLS[match["cur"].lower()]}
            near = sentence[max(0, match.start() - 60):match.end() + 40].lower()
            for term, words in _TERMS:
                if term not in terms and any(word in near for word in words):
                    terms[term] = value
                    break
    undisclosed = re.search(r"\b(not (been )?disclosed|undisclosed|were not made public)\b", text, re.I)
    if not terms and undisclosed:
        terms["disclosed"] = False
    return terms, phrases


def exclusivity(text: str) -> bool | None:
    lower = text.lower()
    if re.search(r"\bnon-?exclusive\b", lower):
        return False
    return True if re.search(r"\bexclusive(ly)?\b", lower) else None


def guess(page_text: str, records: list[Any], entries: list[Entry]) -> Guess:
    text = deal_text(page_text)
    found = Guess()
    found.companies = mentions(text, (e for e in entries if e.kind == "company"))
    found.products = mentions(text, (e for e in entries if e.kind == "product"))
    product_molecules = {r.data.get("molecule") for r in records
                         if r.kind == "product" and r.id in {p.id for p in found.products}}
    found.molecules = [m for m in mentions(text, (e for e in entries if e.kind == "molecule"))
                       if m.id not in product_molecules]
    found.territories, found.excluded = places(text)
    found.type, found.type_word = deal_type(text)
    found.exclusive = exclusivity(text)
    found.financials, found.amounts = money(text)
    return found


def _roles(kind: str | None, companies: list[Entry], developers: set[str]) -> list[dict[str, str]]:
    """Guess each party's role: a product's developer grants, the other party takes."""
    giving, taking = {"licensing": ("licensor", "licensee"),
                      "commercialisation": ("developer", "commercialiser"),
                      "distribution": ("developer", "distributor"),
                      "co-promotion": ("co-promoter", "co-promoter"),
                      "supply": ("manufacturer", "commercialiser")}.get(kind or "", ("partner", "partner"))
    if not developers & {c.id for c in companies}:
        giving, taking = "partner", "partner"
    return [{"company": c.id, "role": giving if c.id in developers else taking} for c in companies]


def cited_by(data_dir: Path, url: str) -> Path | None:
    """Return a deal file that cites this address already (scheme, 'www.' and a last '/' aside)."""
    def key(address: str) -> str:
        parts = urlsplit(address.strip())
        return (parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")
                + (f"?{parts.query}" if parts.query else ""))
    wanted = key(url)
    for file in sorted(data_dir.glob("[0-9][0-9][0-9][0-9]/*.yaml")):
        for line in file.read_text(encoding="utf-8").splitlines():
            address = line.strip().removeprefix("- ").strip()
            if address.startswith("url:") and key(address[4:].strip().strip("'\"")) == wanted:
                return file
    return None


def draft_deal(data_dir: Path, source: str, *, announced: str | None = None, type: str | None = None,
               id: str | None = None, url: str | None = None, timeout: float = 10,
               force: bool = False) -> tuple[Written, Guess, Facts]:
    page = read_page(source, timeout)
    facts = page_facts(page)
    url = url or facts.url
    if url and not force:
        earlier = cited_by(data_dir, url)
        if earlier is not None:
            raise DraftError(f"{earlier} already cites {url}; edit that deal, or pass --force if this page "
                             "announces another deal")
    day_text = announced or facts.date
    if not day_text:
        raise DraftError("the page gives no publication date; pass the announcement's with --announced YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        raise DraftError(f"--announced {day_text!r} is not a date written YYYY-MM-DD") from None
    records = data_records(data_dir)
    matcher = catalog_matcher(records)
    found = guess(facts.text, records, list(matcher.entries))
    kind = type or found.type
    developers = {r.data.get("developer") for r in records if r.kind == "product"
                  and r.id in {p.id for p in found.products}}
    parties = _roles(kind, found.companies, {d for d in developers if isinstance(d, str)})
    what = [*(p.id for p in found.products), *(m.id for m in found.molecules), ""][0]
    deal_id = id or slugify("-".join([*(c.id for c in found.companies[:2]), what, str(day.year)]))
    if not is_slug(deal_id):
        raise DraftError(f"--id {deal_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / str(day.year) / f"{deal_id}.yaml"
    if path.exists():
        raise DraftError(f"{path} already exists; choose another id with --id")
    marks = _marks(found, facts, announced=announced, type=type)
    notes = [f"Drafted by `digestgen draft` from {url or source} on {dt.date.today().isoformat()}.",
             f"Lines marked '{MARK}' were read off the page or guessed from its text: confirm or fix each,",
             "then delete the mark. Write the summary in the digest's own words."]
    if facts.description:
        notes.append(f"The page describes itself as: {' '.join(facts.description.split())[:300]}")
    if found.amounts:
        notes.append(f"Amounts the page names: {', '.join(dict.fromkeys(found.amounts))}")
    excluded = found.excluded if any(code in REGIONS for code in found.territories) else []
    if found.excluded and not excluded:  # an exclusion carves a country out of a region the deal covers
        notes.append(f"The page says the deal leaves out {', '.join(found.excluded)} but names no region "
                     "(such as WORLDWIDE) it covers: say which, and list them under excluded_territories")
    text = render_deal(schema=schema_path(data_dir, path), title=facts.title or "", announced=day.isoformat(),
                       type=kind, parties=parties, territories=found.territories, excluded=excluded,
                       summary=None, source=url,
                       products=[p.id for p in found.products], molecules=[m.id for m in found.molecules],
                       exclusive=found.exclusive, financials=found.financials, source_title=facts.title,
                       source_publisher=facts.publisher, source_date=facts.date, marks=marks, notes=notes)
    write_new(path, text)
    todo = ["summary", *(["title"] if not facts.title else []), *(["type"] if not kind else []),
            *(["parties"] if not parties else []), *(["territories"] if not found.territories else []),
            *(["the source's url"] if not url else [])]
    return Written(path, tuple(todo)), found, facts


def _marks(found: Guess, facts: Facts, *, announced: str | None, type: str | None) -> dict[str, str]:
    """The comment to put beside each field that the page or its text suggested."""
    def names(entries: list[Entry]) -> str:
        return ", ".join(e.names[1] if len(e.names) > 1 else e.id for e in entries)
    marks = {
        "title": f"{MARK} the page's headline; make it name the parties and what they agreed",
        "parties": f"{MARK} companies the page names ({names(found.companies)}); roles guessed",
        "territories": f"{MARK} places the page names; keep those the deal covers",
        "excluded_territories": f"{MARK} places the page says the deal leaves out",
        "products": f"{MARK} the page names {names(found.products)}",
        "molecules": f"{MARK} the page names {names(found.molecules)}",
        "exclusive": f"{MARK} the page says '{'non-exclusive' if found.exclusive is False else 'exclusive'}'",
        "financials": f"{MARK} amounts read off the text: check each against the page",
        "source_date": f"{MARK} the page's publication date",
        "source_publisher": f"{MARK} the page's site name",
    }
    if not announced:
        marks["announced"] = f"{MARK} the page's publication date: is it the announcement's?"
    if not type:
        marks["type"] = f"{MARK} the page says '{found.type_word}'"
    return marks
