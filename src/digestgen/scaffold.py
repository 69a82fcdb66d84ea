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


def _schema_line(data_dir: Path, target: Path) -> str:
    relative = target.relative_to(data_dir).as_posix()
    up = "../" * len(Path(relative).parts)
    return f"# yaml-language-server: $schema={up}schema/{schema_file_for(relative)}\n"


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
    party_lines = []
    for party in _need(parties, "--party"):
        company, _, role = party.partition(":")
        if company not in companies:
            raise ScaffoldError(f"--party {party!r}: no company '{company}' in companies.yaml "
                                "(add it first: digestgen new company)")
        if role not in PARTY_ROLES:
            raise ScaffoldError(f"--party {party!r}: the role must be one of: {', '.join(PARTY_ROLES)}")
        party_lines.append(f"  - company: {company}\n    role: {role}\n")
    for code in _need(territories, "--territory"):
        if not (is_country(code) or code in REGIONS):
            raise ScaffoldError(f"--territory {code!r} is not an ISO 3166-1 alpha-2 code "
                                f"or one of: {', '.join(REGIONS)}")
    deal_id = id or slugify("-".join(p.partition(":")[0] for p in parties) + f"-{day.year}")
    if not is_slug(deal_id):
        raise ScaffoldError(f"--id {deal_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / str(day.year) / f"{deal_id}.yaml"
    todo = () if summary else ("summary",)
    summary_block = (
        "summary: |\n" + "".join(f"  {line}\n" for line in summary.strip().splitlines())
        if summary else
        "# summary: (required) A few sentences in the digest's own words: who, what, where, on what terms.\n"
    )
    text = (
        _schema_line(data_dir, path)
        + "# A deal: see content/editors.md. Write only what a source states; leave out what it does not.\n"
        + f"title: {_scalar(title)}\n"
        + f"announced: {day.isoformat()}\n"
        + f"type: {type}\n"
        + "# status: announced | active | completed | terminated   (usually left out: it follows from events)\n"
        + "# exclusive: true\n"
        + "parties:\n" + "".join(party_lines)
        + "territories: [" + ", ".join(_scalar(code) for code in territories) + "]\n"
        + "# excluded_territories: [CN]   # countries a region above leaves out (WORLDWIDE except CN)\n"
        + "# products: [product-id]        # products the deal names (deals/products/)\n"
        + "# molecules: [molecule-id]      # biosimilars named only by molecule\n"
        + "# product_count: 1              # how many biosimilars the deal covers, named or not\n"
        + "# financials:\n#   disclosed: false\n"
        + summary_block
        + "sources:\n"
        + f"  - url: {_scalar(source)}\n"
        + "    # title: The headline, exactly as published\n"
        + "    # publisher: Who published it\n"
        + "    # date: YYYY-MM-DD\n"
        + "# follows: earlier-deal-id      # an earlier deal this one continues (a sublicence, a handover)\n"
        + "# events:                       # what happened after the announcement, oldest first\n"
        + "#   - date: YYYY-MM-DD\n"
        + "#     kind: launched            # expanded | amended | extended | sublicensed | launched | closed\n"
        + "#                               #   | terminated | other\n"
        + "#     summary: What happened, in the digest's own words.\n"
        + "#     sources:\n"
        + "#       - url: https://...\n"
        + "# status_checked: YYYY-MM-DD    # when later events were last looked for\n"
    )
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
    text = (
        _schema_line(data_dir, path)
        + "# A biosimilar product: see content/editors.md.\n"
        + f"name: {_scalar(name)}\n"
        + f"molecule: {molecule}\n"
        + f"developer: {developer}\n"
        + "# brands: [Brand]\n"
        + "# status: preclinical | phase-1 | phase-3 | filed | approved | launched | discontinued\n"
        + "# approvals:                   # the regulator's decision date, not the company's announcement\n"
        + "#   - region: US\n#     date: YYYY-MM-DD\n#     agency: FDA\n#     name: Brand\n"
        + "# status_checked: YYYY-MM-DD    # when status and approvals were last checked\n"
        + "# notes: |\n#   What the sources say, with links.\n"
    )
    _write_new(path, text)
    return Written(path, ())


def _append_entry(data_dir: Path, file_name: str, entry_id: str, body: str, kind: str) -> Written:
    if not is_slug(entry_id):
        raise ScaffoldError(f"--id {entry_id!r} is not a valid id (lowercase letters, digits and single hyphens)")
    path = data_dir / file_name
    if entry_id in _ids(data_dir, file_name):
        raise ScaffoldError(f"{path} already has a {kind} '{entry_id}'; edit it there")
    if not path.exists():
        path.write_text(_schema_line(data_dir, path), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8") as out:
        out.write(("" if text.endswith("\n") or not text else "\n") + f"{entry_id}:\n" + body)
    return Written(path, ())


def new_company(data_dir: Path, *, id: str, name: str, country: str | None = None) -> Written:
    _need(name, "--name")
    if country and not is_country(country):
        raise ScaffoldError(f"--country {country!r} is not an ISO 3166-1 alpha-2 code (e.g. JP, US, GB)")
    body = (f"  name: {_scalar(name)}\n"
            + (f"  country: {_scalar(country)}\n" if country else "  # country: US\n")
            + "  # aliases: [Other names the sources use]\n  # website: https://...\n  # description: One sentence.\n")
    return _append_entry(data_dir, "companies.yaml", _need(id, "--id"), body, "company")


def new_molecule(data_dir: Path, *, id: str, name: str, reference_brands: list[str]) -> Written:
    _need(name, "--name")
    body = (f"  name: {_scalar(name)}\n"
            + "  reference_brands: ["
            + ", ".join(_scalar(b) for b in _need(reference_brands, "--reference-brand")) + "]\n"
            + "  # originator: company-id\n  # target: TNF-alpha\n  # modality: monoclonal antibody\n")
    return _append_entry(data_dir, "molecules.yaml", _need(id, "--id"), body, "molecule")
