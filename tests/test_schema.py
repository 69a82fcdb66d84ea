"""The JSON Schema for editors: generated from the contract, shipped, named by every data file,
published with the site, and in agreement with the validator on good and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, ROOT, as_json
from digestgen.load import parse_yaml, read_text
from digestgen.schema import schema_file_for, schema_texts

CASES = Path(__file__).resolve().parent / "cases"
# Cases whose problem one file shows on its own, so the schema must see it too. The others need
# other files (references, duplicate ids, counts) or are not YAML the schema could read.
SHAPE_CASES = [
    "unknown_field_typo", "missing_required_field", "bad_country_code", "bad_territory_code", "unknown_enum_value",
    "non_http_url", "empty_required_list", "duplicate_list_item", "bad_amounts_and_currency", "norway_unquoted",
    "non_slug_company_id", "javascript_url", "data_url", "product_missing_fields", "company_entry_not_a_mapping",
    "date_and_time_instead_of_date", "javascript_link_in_markdown", "wrong_types", "event_without_source",
    "event_unknown_kind",
]


def schema_errors(data_dir: Path, relative: str) -> list[str]:
    path = data_dir / relative
    text, problem = read_text(path, str(path))
    assert problem is None, problem
    data, _, problem, _ = parse_yaml(text or "", str(path))
    assert problem is None, problem
    schema = json.loads((ROOT / "schema" / schema_file_for(relative)).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(as_json(data))]


def data_files(data_dir: Path) -> list[str]:
    return sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*.yaml"))


def test_shipped_schema_is_what_the_contract_generates() -> None:
    for name, text in schema_texts().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, f"run: digestgen schema ({name})"
    for text in schema_texts().values():
        jsonschema.Draft202012Validator.check_schema(json.loads(text))


def test_every_data_file_names_its_schema() -> None:
    deals = ROOT / "deals"
    for relative in data_files(deals):
        first = (deals / relative).read_text(encoding="utf-8").splitlines()[0]
        target = (deals / relative).parent / first.removeprefix("# yaml-language-server: $schema=")
        assert first.startswith("# yaml-language-server: $schema="), relative
        assert target.resolve() == (ROOT / "schema" / schema_file_for(relative)).resolve(), relative


@pytest.mark.parametrize("data_dir", [ROOT / "deals", FIXTURES / "base" / "deals"], ids=["shipped", "fixture"])
def test_the_schema_accepts_every_valid_file(data_dir: Path) -> None:
    for relative in data_files(data_dir):
        assert schema_errors(data_dir, relative) == [], relative


@pytest.mark.parametrize("case", SHAPE_CASES)
def test_the_schema_rejects_what_the_validator_rejects(case: str) -> None:
    changed = data_files(CASES / case / "deals")
    assert changed
    assert any(schema_errors(CASES / case / "deals", relative) for relative in changed), case


def test_the_schema_is_published_with_the_site(fixture_site: Path) -> None:
    for name, text in schema_texts().items():
        assert (fixture_site / "site" / "schema" / name).read_text(encoding="utf-8") == text
