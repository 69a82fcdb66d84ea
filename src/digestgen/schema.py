"""JSON Schema for editors, generated from the contract in `contract.py`.

Editors' tools (VS Code's YAML extension, any yaml-language-server client) read the
`# yaml-language-server: $schema=...` line at the top of each data file and offer
completion and flag mistakes as the editor types. The schema says what one file
can say on its own; what spans files (does a company id exist?) is left to
`digestgen validate`, which is the authority.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pycountry

from .contract import REGIONS, SHAPES, SLUG_MAX, Field, Shape
from .load import kind_of

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://biosimilar-deal-digest.github.io/digest/schema/"
# file name -> (kind, whether the file maps ids to entries)
SCHEMA_FILES = {
    "deal.schema.json": ("deal", False),
    "product.schema.json": ("product", False),
    "companies.schema.json": ("company", True),
    "molecules.schema.json": ("molecule", True),
}
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _countries() -> list[str]:
    return sorted(country.alpha_2 for country in pycountry.countries)


def _value(field: Field) -> dict[str, Any]:
    kind = field.type
    if kind == "mapping":
        assert field.shape is not None
        return _object(field.shape)
    if kind == "text":
        return {"type": "string", "pattern": r"^[^\n]*\S[^\n]*$"}
    if kind == "markdown":
        return {"type": "string", "pattern": r"\S", "not": {"pattern": r"(?i)\]\(\s*<?\s*(javascript|vbscript|data|file):"}}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "int":
        return {"type": "integer", "minimum": 0}
    if kind == "number":
        return {"type": "number", "minimum": 0}
    if kind == "url":
        return {"type": "string", "pattern": r"^https?://[^\s/]+\S*$"}
    if kind == "slug":
        return {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX}
    if kind == "country":
        return {"type": "string", "enum": _countries()}
    if kind == "territory":
        return {"type": "string", "enum": _countries() + list(REGIONS)}
    if kind == "currency":
        return {"type": "string", "enum": sorted(c.alpha_3 for c in pycountry.currencies)}
    if kind == "choice":
        return {"type": "string", "enum": list(field.choices)}
    raise ValueError(f"no schema for field type {kind!r}")  # pragma: no cover - the contract's types are all above


def _field(field: Field) -> dict[str, Any]:
    schema = _value(field)
    if field.many:
        schema = {"type": "array", "items": schema}
        if field.nonempty:
            schema["minItems"] = 1
        if field.type in ("slug", "territory", "text"):
            schema["uniqueItems"] = True
    if field.doc:
        schema = {"description": field.doc, **schema}
    if field.ref:
        schema["description"] = (schema.get("description", "") + f" Names a {field.ref} by its id.").strip()
    return schema


def _object(shape: Shape) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {field.name: _field(field) for field in shape.fields},
        "additionalProperties": False,
    }
    required = [field.name for field in shape.fields if field.required]
    if required:
        schema["required"] = required
    if shape.doc:
        schema = {"description": shape.doc, **schema}
    return schema


def schema_for(name: str) -> dict[str, Any]:
    """Return the JSON Schema of one kind of data file, by its schema file name."""
    kind, keyed = SCHEMA_FILES[name]
    entry = _object(SHAPES[kind])
    body: dict[str, Any] = (
        {"type": "object", "propertyNames": {"pattern": SLUG_PATTERN, "maxLength": SLUG_MAX},
         "additionalProperties": entry, "minProperties": 1}
        if keyed else entry
    )
    return {"$schema": SCHEMA_DIALECT, "$id": BASE_ID + name,
            "title": f"Biosimilar Deal Digest: {'the ' + kind + ' entries' if keyed else 'one ' + kind}",
            "description": "Generated from src/digestgen/contract.py by `digestgen schema`; do not edit.", **body}


def schema_texts() -> dict[str, str]:
    """Return every schema file's text, as written to `schema/`."""
    return {name: json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n" for name in SCHEMA_FILES}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


_SCHEMA_OF_KIND = {"deal": "deal.schema.json", "product": "product.schema.json",
                   "companies": "companies.schema.json", "molecules": "molecules.schema.json"}


def schema_file_for(relative: str) -> str:
    """Return the schema file that a data file (path inside the data folder) should name."""
    return _SCHEMA_OF_KIND[kind_of(relative)]
