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

from .contract import SHAPES, SLUG_MAX, SLUG_PATTERN, TYPES, Field, Kind, Shape
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


def _value(field: Field) -> dict[str, Any]:
    if field.type is Kind.MAPPING:
        assert field.shape is not None
        return _object(field.shape)
    return TYPES[field.type].schema(field)


def _field(field: Field) -> dict[str, Any]:
    schema = _value(field)
    if field.many:
        schema = {"type": "array", "items": schema}
        if field.nonempty:
            schema["minItems"] = 1
        if field.unique:
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
        {"type": "object", "propertyNames": {"pattern": f"^{SLUG_PATTERN}$", "maxLength": SLUG_MAX},
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
