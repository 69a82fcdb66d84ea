"""`digestgen new`: start a data file from the essentials, in the right place, commented.

Each new file names its JSON Schema (completion in the editor), carries what the
editor gave, and lists the optional fields as comments. A required fact that was
not given (a deal's summary, say) is left out, not faked, so `digestgen validate`
points at it until the editor writes it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .catalog import entries
from .contract import (
    DEAL_TYPES,
    PARTY_ROLES,
    REGIONS,
    is_country,
    is_currency,
    is_slug,
    slugify,
    suggest,
    suggest_territory,
)
from .load import Record, load_file
from .matcher import Matcher
from .schema import schema_file_for


class ScaffoldError(Exception):
    pass


@dataclass(frozen=True)
class Written:
    path: Path
    todo: tuple[str, ...]  # required fields the editor still has to write


def _scalar(value: Any) -> str:
    """Return one YAML scalar, quoted where YAML would read it as something else."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _ids(data_dir: Path, file_name: str) -> set[str]:
    path = data_dir / file_name
    if not path.is_file():
        return set()
    records, problems = load_file(data_dir, path)
    if problems:
        raise ScaffoldError(f"{problems[0]} (fix it first)")
    return {record.id for record in records}


def schema_path(data_dir: Path, target: Path) -> str:
    """Return the address of a data file's JSON Schema, relative to the file."""
    relative = target.relative_to(data_dir).as_posix()
    return "../" * len(Path(relative).parts) + "schema/" + schema_file_for(relative)


_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates" / "new")),
                                autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                undefined=jinja2.StrictUndefined)
_TEMPLATES.filters["scalar"] = _scalar


def _render(template: str, **context: Any) -> str:
    return _TEMPLATES.get_template(template).render(**context)


def render_deal(**context: Any) -> str:
    """Return a deal file's text; `marks` puts a comment beside a field, `notes` open the file."""
    return _render("deal.yaml.j2", **{"marks": {}, "notes": [], **context})


def write_new(path: Path, text: str) -> None:
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it, or choose another id")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(text)


def _need(value: Any, option: str) -> Any:
    if value in (None, "", [], ()):
        raise ScaffoldError(f"{option} is required")
    return value


_ENTRY = re.compile(r"^([a-z0-9][a-z0-9-]*):[ \t]*$", re.M)  # a top-level entry of companies or molecules
_MONEY = re.compile(r"\s*([0-9][0-9.,]*)\s*([kKmMbB]?)\s+([A-Za-z]{3})\s*")
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def parse_money(text: str, option: str) -> dict[str, Any]:
    """Return {amount, currency} from '33M USD', '483400000 USD' or '1.2B EUR'."""
    match = _MONEY.fullmatch(text)
    if not match:
        raise ScaffoldError(f"{option} {text!r} is not an amount and a currency, e.g. '33M USD' or '483400000 USD'")
    number, scale, currency = match.groups()
    if not is_currency(currency.upper()):
        raise ScaffoldError(f"{option} {text!r}: '{currency}' is not an ISO 4217 currency code (e.g. USD, EUR, JPY)")
    amount = float(number.replace(",", "")) * _SCALE[scale.lower()]
    return {"amount": int(amount) if amount.is_integer() else amount, "currency": currency.upper()}


def _known(data_dir: Path, matcher: Matcher, kind: str, ids: list[str], option: str, file: str) -> list[str]:
    for value in ids:
        if value not in {e.id for e in matcher.entries if e.kind == kind}:
            hint = matcher.suggest(kind, value)
            raise ScaffoldError(f"{option} {value!r}: no {kind} '{value}' in {file}{hint}"
                                + ("" if hint else f" (add it first: digestgen new {kind})"))
    return ids


def new_deal(data_dir: Path, *, title: str, announced: str, type: str, parties: list[str], territories: list[str],
             source: str, summary: str | None = None, id: str | None = None, products: list[str] | None = None,
             molecules: list[str] | None = None, exclusive: bool | None = None, source_title: str | None = None,
             source_publisher: str | None = None, source_date: str | None = None, upfront: str | None = None,
             milestones: str | None = None, total: str | None = None, undisclosed: bool = False,
             excluded: list[str] | None = None) -> Written:
    _need(title, "--title")
    _need(source, "--source")
    day = _date(_need(announced, "--announced"), "--announced")
    if type not in DEAL_TYPES:
        raise ScaffoldError(f"--type {type!r} is not one of: {', '.join(DEAL_TYPES)}{suggest(type, DEAL_TYPES)}")
    matcher = _matcher(data_dir)
    roles = []
    for party in _need(parties, "--party"):
        company, _, role = party.partition(":")
        _known(data_dir, matcher, "company", [company], "--party", "companies.yaml")
        if role not in PARTY_ROLES:
            raise ScaffoldError(f"--party {party!r}: the role must be one of: {', '.join(PARTY_ROLES)}"
                                f"{suggest(role, PARTY_ROLES)}")
        roles.append({"company": company, "role": role})
    _check_places(_need(territories, "--territory"), excluded or [])
    products = _known(data_dir, matcher, "product", products or [], "--product", "deals/products/")
    molecules = _known(data_dir, matcher, "molecule", molecules or [], "--molecule", "molecules.yaml")
    if undisclosed and (upfront or milestones or total):
        raise ScaffoldError("--undisclosed says the terms were not disclosed, so give no amounts with it")
    financials: dict[str, Any] = {"disclosed": False} if undisclosed else {}
    for term, text in (("upfront", upfront), ("milestones", milestones), ("total", total)):
        if text:
            financials[term] = parse_money(text, f"--{term}")
    what = (products or molecules or [""])[0]
    deal_id = id or slugify("-".join([*(p.partition(":")[0] for p in parties), what, str(day.year)]))
    if not is_slug(deal_id):
        raise ScaffoldError(f"--id {deal_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / str(day.year) / f"{deal_id}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another id with --id")
    todo = () if summary else ("summary",)
    text = render_deal(schema=schema_path(data_dir, path), title=title, announced=day.isoformat(),
                   type=type, parties=roles, territories=territories, excluded=excluded or [], summary=summary,
                   source=source,
                   products=products, molecules=molecules, exclusive=exclusive, financials=financials,
                   source_title=source_title, source_publisher=source_publisher,
                   source_date=_date(source_date, "--source-date").isoformat() if source_date else None)
    write_new(path, text)
    return Written(path, todo)


def _check_places(territories: list[str], excluded: list[str]) -> None:
    """Every --territory is a country or a region; every --exclude a country carved out of a region given."""
    for code in territories:
        if not (is_country(code) or code in REGIONS):
            raise ScaffoldError(f"--territory {code!r} is not an ISO 3166-1 alpha-2 code "
                                f"or one of: {', '.join(REGIONS)}{suggest_territory(code)}")
    for code in excluded:
        if not is_country(code):
            raise ScaffoldError(f"--exclude {code!r} is not an ISO 3166-1 alpha-2 code{suggest_territory(code)}")
        if code in territories:
            raise ScaffoldError(f"--exclude {code}: it is also given with --territory")
        if not any(t in REGIONS for t in territories):
            raise ScaffoldError(f"--exclude {code}: an exclusion carves a country out of a region the deal covers; "
                                "give one with --territory (WORLDWIDE, EU, LATAM...)")


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScaffoldError(f"{option} {text!r} is not a date written YYYY-MM-DD") from None


def data_records(data_dir: Path) -> list[Record]:
    """The companies, molecules and products the data folder holds now."""
    records = []
    for file in [data_dir / "companies.yaml", data_dir / "molecules.yaml",
                 *sorted((data_dir / "products").glob("*.yaml"))]:
        if file.is_file():
            found, problems = load_file(data_dir, file)
            if problems:
                raise ScaffoldError(f"{problems[0]} (fix it first)")
            records.extend(found)
    return records


def catalog_matcher(records: list[Record]) -> Matcher:
    return Matcher(entries(records))


def _matcher(data_dir: Path) -> Matcher:
    """The matcher over the companies, molecules and products the data folder holds now."""
    return catalog_matcher(data_records(data_dir))


def _not_a_duplicate(data_dir: Path, kind: str, names: list[str], force: bool) -> None:
    """Refuse a new entry that goes by the name of one that exists, unless told it is another one."""
    if force:
        return
    matcher = _matcher(data_dir)
    for name in names:
        entry = matcher.find(kind, name)
        if entry is not None:
            raise ScaffoldError(f"{kind} '{entry.id}' ({entry.path}:{entry.line}) already goes by a name like "
                                f"{name!r}; use it, or pass --force if this is another {kind}")


def new_product(data_dir: Path, *, name: str, molecule: str, developer: str, id: str | None = None,
                force: bool = False) -> Written:
    _need(name, "--name")
    matcher = _matcher(data_dir)
    _known(data_dir, matcher, "molecule", [molecule], "--molecule", "molecules.yaml")
    _known(data_dir, matcher, "company", [developer], "--developer", "companies.yaml")
    product_id = id or slugify(name)
    _not_a_duplicate(data_dir, "product", [name, product_id], force)
    if not is_slug(product_id):
        raise ScaffoldError(f"--id {product_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / "products" / f"{product_id}.yaml"
    text = _render("product.yaml.j2", schema=schema_path(data_dir, path), name=name, molecule=molecule,
                   developer=developer)
    write_new(path, text)
    return Written(path, ())


def _append_entry(data_dir: Path, file_name: str, entry_id: str, kind: str, **fields: Any) -> Written:
    if not is_slug(entry_id):
        raise ScaffoldError(f"--id {entry_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / file_name
    if entry_id in _ids(data_dir, file_name):
        raise ScaffoldError(f"{path} already has a {kind} '{entry_id}'; edit it there")
    if not path.exists():
        path.write_text(f"# yaml-language-server: $schema={schema_path(data_dir, path)}\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    text += "" if text.endswith("\n") or not text else "\n"
    block = _render(f"{kind}.yaml.j2", id=entry_id, **fields)
    # in the order of the ids, before the first entry that sorts after the new one
    later = [m.start() for m in _ENTRY.finditer(text) if m.group(1) > entry_id]
    text = text[:later[0]] + block + text[later[0]:] if later else text + block
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # all or nothing: the file is never half-written
    return Written(path, ())


def new_company(data_dir: Path, *, id: str, name: str, country: str | None = None, force: bool = False) -> Written:
    _need(name, "--name")
    if id not in _ids(data_dir, "companies.yaml"):  # an id that exists gets its own message
        _not_a_duplicate(data_dir, "company", [name, id], force)
    if country and not is_country(country):
        raise ScaffoldError(f"--country {country!r} is not an ISO 3166-1 alpha-2 code (e.g. JP, US, GB)")
    return _append_entry(data_dir, "companies.yaml", _need(id, "--id"), "company", name=name, country=country)


def new_molecule(data_dir: Path, *, id: str, name: str, reference_brands: list[str],
                 force: bool = False) -> Written:
    _need(name, "--name")
    if id not in _ids(data_dir, "molecules.yaml"):
        _not_a_duplicate(data_dir, "molecule", [name, id], force)
    return _append_entry(data_dir, "molecules.yaml", _need(id, "--id"), "molecule", name=name,
                         reference_brands=_need(reference_brands, "--reference-brand"))
