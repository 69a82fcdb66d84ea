"""The validator and the published JSON Schema agree: on documents built from the contract, valid
and nearly valid, each accepts exactly what the other accepts.

Two things only the validator can know are left out of the documents: whether a date is in the
future (the schema has no clock) and references to other files (the schema sees one file).
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import as_json
from digestgen.contract import REGIONS, SHAPES, SLUG_MAX, Field, Kind, Shape
from digestgen.load import Record
from digestgen.schema import schema_for
from digestgen.validate import check_shape

TODAY = dt.date(2026, 12, 6)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNSAFE = ["see [x](javascript:alert(1))", "See <javascript:alert(1)>", "[a](<JavaScript:x>)", "<DATA:text/html,x>",
          "[b]( file:///etc/passwd)"]
# For each type: values the contract accepts, and values close to them that it does not.
GOOD: dict[Kind, st.SearchStrategy[Any]] = {
    Kind.TEXT: st.one_of(st.text(alphabet=string.ascii_letters + " -'.,()[]<>:", min_size=1, max_size=20)
                         .filter(lambda t: t.strip()),
                         st.sampled_from(["ok [x](https://example.org)", "<https://example.org>", "  padded  ",
                                          "trailing newline\n"])),
    Kind.DATE: st.one_of(st.dates(min_value=dt.date(1980, 1, 1), max_value=TODAY), st.just("2016-07-13")),
    Kind.BOOL: st.booleans(),
    Kind.INT: st.integers(0, 10**6),
    Kind.NUMBER: st.one_of(st.integers(0, 10**12), st.floats(min_value=0, max_value=1e12)),
    Kind.URL: st.sampled_from(["https://example.org/a", "http://example.org", "https://x.org/a?b=c#d"]),
    Kind.SLUG: st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}", fullmatch=True),
    Kind.COUNTRY: st.sampled_from(["JP", "US", "GB", "NO", "BR"]),
    Kind.TERRITORY: st.sampled_from(["JP", "US", "GB", *REGIONS]),
    Kind.CURRENCY: st.sampled_from(["USD", "EUR", "JPY"]),
}
GOOD[Kind.MARKDOWN] = st.one_of(GOOD[Kind.TEXT], st.just("two\nlines"))
BAD: dict[Kind, st.SearchStrategy[Any]] = {
    Kind.TEXT: st.sampled_from([*UNSAFE, "", " ", "one\ntwo", "\n", 5, True]),
    Kind.MARKDOWN: st.sampled_from([*UNSAFE, "", " \n ", 5, ["a"]]),
    Kind.DATE: st.one_of(st.sampled_from(["2016-13-45", "2016-02-30", "16-07-13", "2016/07/13", "1979-12-31", 2016,
                                          "today"]),
                         st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1979, 12, 31)),
                         st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2026, 1, 1))),
    Kind.BOOL: st.sampled_from(["yes", 1, 0, "true", None]),
    Kind.INT: st.one_of(st.integers(-10, -1), st.sampled_from([True, 1.5, "3"])),
    Kind.NUMBER: st.one_of(st.integers(-10, -1), st.floats(max_value=-0.001, min_value=-10),
                           st.sampled_from([True, "100", [1]])),
    Kind.URL: st.sampled_from(["https://", "ftp://example.org", "example.org", "https://exa mple.org",
                               "HTTPS://example.org", "https://?q", " https://x.org", "javascript:alert(1)",
                               "https://x.org/a b", 42]),
    Kind.SLUG: st.sampled_from(["Amgen", "a--b", "-a", "a-", "a_b", "x" * (SLUG_MAX + 1), "", 7]),
    Kind.COUNTRY: st.sampled_from(["jp", "UK", "JPN", "Japan", "XX", "", False, "EU"]),
    Kind.TERRITORY: st.sampled_from(["jp", "UK", "worldwide", "ASIA-PACIFIC", "", False]),
    Kind.CURRENCY: st.sampled_from(["usd", "XYZ", "US$", "", 840]),
    Kind.CHOICE: st.sampled_from(["", "Licensing", "other-thing", 3]),
    Kind.MAPPING: st.sampled_from(["text", 3, ["a"]]),
}


def good(field: Field) -> st.SearchStrategy[Any]:
    if field.type is Kind.MAPPING:
        assert field.shape is not None
        one: st.SearchStrategy[Any] = valid(field.shape)
    elif field.type is Kind.CHOICE:
        one = st.sampled_from(field.choices)
    else:
        one = GOOD[field.type]
    if not field.many:
        return one
    items = st.lists(one, min_size=1 if field.nonempty else 0, max_size=3)
    return items.filter(lambda xs: not field.unique or len(set(map(repr, xs))) == len(xs))


def valid(shape: Shape) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({f.name: good(f) for f in shape.fields if f.required},
                                 optional={f.name: good(f) for f in shape.fields if not f.required})


@st.composite
def document(draw: st.DrawFn, shape: Shape) -> dict[str, Any]:
    """A valid document of the shape, or one with a single thing wrong, at the top or one level down."""
    data = draw(valid(shape))
    where = data
    field = draw(st.sampled_from(shape.fields))
    mapping_fields = [f for f in shape.fields if f.type is Kind.MAPPING and f.name in data]
    if mapping_fields and draw(st.booleans()):  # go one level down
        outer = draw(st.sampled_from(mapping_fields))
        assert outer.shape is not None
        inner = data[outer.name][0] if outer.many and data[outer.name] else data[outer.name]
        if isinstance(inner, dict):
            where, field = inner, draw(st.sampled_from(outer.shape.fields))
    change = draw(st.sampled_from(["none", "none", "bad", "bad", "drop", "unknown", "empty", "duplicate"]))
    if change == "bad":
        bad = BAD[field.type]
        where[field.name] = draw(st.lists(bad, min_size=1, max_size=2) if field.many and draw(st.booleans()) else bad)
    elif change == "drop":
        where.pop(field.name, None)
    elif change == "unknown":
        where["unknown_key"] = "x"
    elif change == "empty":
        where[field.name] = [] if field.many and draw(st.booleans()) else None
    elif change == "duplicate" and field.many and where.get(field.name):
        where[field.name] = [where[field.name][0]] * 2
    return data


def validator_accepts(kind: str, data: dict[str, Any]) -> bool:
    record = Record("not-a-file.yaml", kind, "x", 1, data)
    return not list(check_shape(record, TODAY))


def schema_accepts(kind: str, data: dict[str, Any]) -> bool:
    name = {"deal": "deal.schema.json", "product": "product.schema.json",
            "company": "companies.schema.json", "molecule": "molecules.schema.json"}[kind]
    document = as_json(data) if kind in ("deal", "product") else {"x": as_json(data)}
    validator = jsonschema.Draft202012Validator(schema_for(name), format_checker=jsonschema.FormatChecker())
    return validator.is_valid(document)


def agree(kind: str, data: dict[str, Any]) -> None:
    accepted = validator_accepts(kind, data)
    event("accepted" if accepted else "rejected")
    assert accepted == schema_accepts(kind, data), data


@pytest.mark.parametrize("kind", ["deal", "product", "company", "molecule"])
@SETTINGS
@given(draw=st.data())
def test_the_validator_and_the_schema_agree(kind: str, draw: st.DataObject) -> None:
    agree(kind, draw.draw(document(SHAPES[kind])))


def test_both_reject_an_unsafe_link_in_plain_text() -> None:
    deal = {"title": "See <javascript:alert(1)>"}
    assert not schema_accepts("deal", deal) and not validator_accepts("deal", deal)
