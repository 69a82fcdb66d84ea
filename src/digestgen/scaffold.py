"""`digestgen new`: start a data file from the essentials, in the right place, commented.

Each new file names its JSON Schema (completion in the editor), carries what the
editor gave, and lists the optional fields as comments. A required fact that was
not given (a deal's summary, say) is left out, not faked, so `digestgen validate`
points at it until the editor writes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .contract import DEAL_TYPES, PARTY_ROLES, REGIONS, is_country, is_slug, slugify
from .load import load_file
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
    records, problem = load_file(data_dir, path)
    if problem is not None:
        raise ScaffoldError(f"{problem} (fix it first)")
    return {record.id for record in records}


def _schema_path(data_dir: Path, target: Path) -> str:
    """Return the address of a data file's JSON Schema, relative to the file."""
    relative = target.relative_to(data_dir).as_posix()
    return "../" * len(Path(relative).parts) + "schema/" + schema_file_for(relative)


_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates" / "new")),
                                autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                undefined=jinja2.StrictUndefined)
_TEMPLATES.filters["scalar"] = _scalar


def _render(template: str, **context: Any) -> str:
    return _TEMPLATES.get_template(template).render(**context)


def _write_new(path: Path, text: str) -> None:
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it, or choose another id")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(text)


def _need(value: Any, option: str) -> Any:
    if value in (None, "", [], ()):
        raise ScaffoldError(f"{option} is required")
    return value


def new_deal(data_dir: Path, *, title: str, announced: str, type: str, parties: list[str], territories: list[str],
             source: str, summary: str | None = None, id: str | None = None) -> Written:
    _need(title, "--title")
    _need(source, "--source")
    try:
        day = dt.date.fromisoformat(_need(announced, "--announced"))
    except ValueError:
        raise ScaffoldError(f"--announced {announced!r} is not a date written YYYY-MM-DD") from None
    if type not in DEAL_TYPES:
        raise ScaffoldError(f"--type {type!r} is not one of: {', '.join(DEAL_TYPES)}")
    companies = _ids(data_dir, "companies.yaml")
    roles = []
    for party in _need(parties, "--party"):
        company, _, role = party.partition(":")
        if company not in companies:
            raise ScaffoldError(f"--party {party!r}: no company '{company}' in companies.yaml "
                                "(add it first: digestgen new company)")
        if role not in PARTY_ROLES:
            raise ScaffoldError(f"--party {party!r}: the role must be one of: {', '.join(PARTY_ROLES)}")
        roles.append({"company": company, "role": role})
    for code in _need(territories, "--territory"):
        if not (is_country(code) or code in REGIONS):
            raise ScaffoldError(f"--territory {code!r} is not an ISO 3166-1 alpha-2 code "
                                f"or one of: {', '.join(REGIONS)}")
    deal_id = id or slugify("-".join(p.partition(":")[0] for p in parties) + f"-{day.year}")
    if not is_slug(deal_id):
        raise ScaffoldError(f"--id {deal_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / str(day.year) / f"{deal_id}.yaml"
    todo = () if summary else ("summary",)
    text = _render("deal.yaml.j2", schema=_schema_path(data_dir, path), title=title, announced=day.isoformat(),
                   type=type, parties=roles, territories=territories, summary=summary, source=source)
    _write_new(path, text)
    return Written(path, todo)


def new_product(data_dir: Path, *, name: str, molecule: str, developer: str, id: str | None = None) -> Written:
    _need(name, "--name")
    if molecule not in _ids(data_dir, "molecules.yaml"):
        raise ScaffoldError(f"--molecule {molecule!r} is not in molecules.yaml (add it first: digestgen new molecule)")
    if developer not in _ids(data_dir, "companies.yaml"):
        raise ScaffoldError(f"--developer {developer!r} is not in companies.yaml (add it first: digestgen new company)")
    product_id = id or slugify(name)
    if not is_slug(product_id):
        raise ScaffoldError(f"--id {product_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / "products" / f"{product_id}.yaml"
    text = _render("product.yaml.j2", schema=_schema_path(data_dir, path), name=name, molecule=molecule,
                   developer=developer)
    _write_new(path, text)
    return Written(path, ())


def _append_entry(data_dir: Path, file_name: str, entry_id: str, kind: str, **fields: Any) -> Written:
    if not is_slug(entry_id):
        raise ScaffoldError(f"--id {entry_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / file_name
    if entry_id in _ids(data_dir, file_name):
        raise ScaffoldError(f"{path} already has a {kind} '{entry_id}'; edit it there")
    if not path.exists():
        path.write_text(f"# yaml-language-server: $schema={_schema_path(data_dir, path)}\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8") as out:
        out.write(("" if text.endswith("\n") or not text else "\n") + _render(f"{kind}.yaml.j2", id=entry_id, **fields))
    return Written(path, ())


def new_company(data_dir: Path, *, id: str, name: str, country: str | None = None) -> Written:
    _need(name, "--name")
    if country and not is_country(country):
        raise ScaffoldError(f"--country {country!r} is not an ISO 3166-1 alpha-2 code (e.g. JP, US, GB)")
    return _append_entry(data_dir, "companies.yaml", _need(id, "--id"), "company", name=name, country=country)


def new_molecule(data_dir: Path, *, id: str, name: str, reference_brands: list[str]) -> Written:
    _need(name, "--name")
    return _append_entry(data_dir, "molecules.yaml", _need(id, "--id"), "molecule", name=name,
                         reference_brands=_need(reference_brands, "--reference-brand"))
