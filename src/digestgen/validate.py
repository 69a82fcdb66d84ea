"""Check records against the contract: every rule yields `Problem`s, nothing raises or prints.

Rules that need no other record live here; references between records are the
catalog's job, since only it knows every id.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from .contract import (
    EARLIEST_DATE_YEAR,
    REGIONS,
    SHAPES,
    SLUG_RULE,
    TYPES,
    Field,
    Kind,
    Shape,
    describe,
    is_slug,
    suggest,
)
from .load import DataPath, Record
from .problems import Problem


class _Checker:
    """Walks one record's data along its shape."""

    def __init__(self, record: Record, today: dt.date):
        self.record = record
        self.today = today

    def at(self, path: DataPath, message: str) -> Problem:
        return Problem(self.record.path, self.record.line_of(*path), message)

    @staticmethod
    def label(path: DataPath) -> str:
        """Return a field's dotted name, e.g. 'financials.upfront.amount'."""
        return ".".join(str(key) for key in path if isinstance(key, str))

    def mapping(self, data: Any, shape: Shape, path: DataPath, label: str) -> Iterator[Problem]:
        if not isinstance(data, dict):
            yield self.at(path, f"{label}: expected a mapping of fields, found {describe(data)}")
            return
        for key in data:
            if shape.field(key) is None:
                hint = suggest(key, shape.names) or f" (allowed: {', '.join(shape.names)})"
                yield self.at(path + (key,), f"unknown field '{key}' in {shape.name}{hint}")
        for field in shape.fields:
            value = data.get(field.name)
            if value is None:
                if field.required:
                    yield self.at(path, f"missing required field '{field.name}' in {shape.name}")
                elif field.name in data:  # `status:` with nothing after it: say so rather than drop it
                    yield self.at(path + (field.name,), f"'{self.label(path + (field.name,))}' is empty; "
                                                        "write a value or leave the field out")
                continue
            yield from self.field(field, value, path + (field.name,))

    def field(self, field: Field, value: Any, path: DataPath) -> Iterator[Problem]:
        if not field.many:
            yield from self.value(field, value, path)
            return
        if not isinstance(value, list):
            yield self.at(path, f"'{self.label(path)}' must be a list, found {describe(value)}")
            return
        if field.nonempty and not value:
            yield self.at(path, f"'{self.label(path)}' must list at least one item")
        for index, item in enumerate(value):
            yield from self.value(field, item, path + (index,))
        if field.unique and all(isinstance(v, str) for v in value):
            seen: set[str] = set()
            for index, item in enumerate(value):
                if item in seen:
                    yield self.at(path + (index,), f"'{self.label(path)}' lists '{item}' twice")
                seen.add(item)

    def value(self, field: Field, value: Any, path: DataPath) -> Iterator[Problem]:
        if field.type is Kind.MAPPING:
            assert field.shape is not None
            if not isinstance(value, dict):
                yield self.at(path, f"'{self.label(path)}': expected a mapping of fields, found {describe(value)}")
            else:
                yield from self.mapping(value, field.shape, path, "")
            return
        complaint = TYPES[field.type].check(value, field, self.today)
        if complaint is not None:
            yield self.at(path, complaint(self.label(path)))


def check_id(record: Record) -> Iterator[Problem]:
    """An id must be a slug.

    Fails: deals/2016/Amgen_Deal.yaml
    """
    if not is_slug(record.id):
        what = "file name" if record.kind in ("deal", "product") else "id"
        yield Problem(record.path, record.line, f"{what} '{record.id}' is not a valid id ({SLUG_RULE})")


def check_shape(record: Record, today: dt.date) -> Iterator[Problem]:
    """Every field is known, present when required, and of the contract's type.

    Fails:
        anounced: 2016-07-13
    """
    label = record.kind if record.kind in ("deal", "product") else f"{record.kind} '{record.id}'"
    yield from _Checker(record, today).mapping(record.data, SHAPES[record.kind], (), label)


def check_financials(record: Record) -> Iterator[Problem]:
    """Undisclosed terms carry no amounts.

    Fails:
        financials: {disclosed: false, upfront: {amount: 5, currency: USD}}
    """
    financials = record.data.get("financials") if record.kind == "deal" and isinstance(record.data, dict) else None
    if not isinstance(financials, dict) or financials.get("disclosed") is not False:
        return
    for key in ("upfront", "milestones", "total"):
        if key in financials:
            yield record.problem(f"'financials' says disclosed: false but gives '{key}'", "financials", key)


def check_updated(record: Record) -> Iterator[Problem]:
    """A deal is updated after it is announced, not before.

    Fails:
        announced: 2016-07-13
        updated: 2016-07-01
    """
    data = record.data if record.kind == "deal" and isinstance(record.data, dict) else {}
    announced, updated = data.get("announced"), data.get("updated")
    if isinstance(announced, dt.date) and isinstance(updated, dt.date) and updated < announced:
        yield record.problem(f"'updated' date {updated.isoformat()} is before 'announced' {announced.isoformat()}",
                             "updated")


def _deal_data(record: Record) -> dict[str, Any]:
    return record.data if record.kind == "deal" and isinstance(record.data, dict) else {}


def check_year_folder(record: Record, today: dt.date) -> Iterator[Problem]:
    """A deal sits in the folder of the year it was announced.

    Fails: deals/2017/x.yaml with announced: 2016-07-13
    """
    folder = record.path.rsplit("/", 2)[-2] if record.path.count("/") >= 1 else ""
    announced = _deal_data(record).get("announced")
    if not isinstance(announced, dt.date) or not EARLIEST_DATE_YEAR <= announced.year <= today.year:
        return  # not a date, or out of range: reported as such already
    if len(folder) == 4 and folder.isdigit() and int(folder) != announced.year:
        yield record.problem(f"the deal was announced in {announced.year} but its file is in the {folder} folder "
                             f"(move it to {announced.year}/)", "announced")


def check_exclusions(record: Record) -> Iterator[Problem]:
    """An excluded territory is carved out of a region the deal covers, and is not also covered.

    Fails:
        territories: [JP]
        excluded_territories: [CN]
    """
    data = _deal_data(record)
    territories, excluded = data.get("territories"), data.get("excluded_territories")
    if not isinstance(territories, list) or not isinstance(excluded, list):
        return
    for index, code in enumerate(excluded):
        if not isinstance(code, str):
            continue
        if code in territories:
            yield record.problem(f"'{code}' is both in 'territories' and in 'excluded_territories'",
                                 "excluded_territories", index)
        elif not any(isinstance(t, str) and t in REGIONS for t in territories):
            yield record.problem(f"'excluded_territories' lists '{code}' but 'territories' names no region to "
                                 "exclude it from (exclusions carve countries out of regions such as WORLDWIDE)",
                                 "excluded_territories", index)


def whole_deal(event: dict[str, Any]) -> bool:
    """True when an event concerns the whole deal: no territories or products are named."""
    return not event.get("territories") and not event.get("products")


def check_events(record: Record) -> Iterator[Problem]:
    """Events come after the announcement, oldest first, and the status agrees with them.

    Fails:
        announced: 2016-07-13
        status: terminated
        events: [{date: 2016-07-01, kind: launched, ...}]
    """
    data = _deal_data(record)
    announced, events, status = data.get("announced"), data.get("events"), data.get("status")
    if not isinstance(events, list):
        events = []
    events = [(i, e) for i, e in enumerate(events) if isinstance(e, dict)]
    previous: dt.date | None = None
    for index, event in events:
        day = event.get("date")
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            continue
        if isinstance(announced, dt.date) and day < announced:
            yield record.problem(f"event dated {day.isoformat()} is before the deal was announced "
                                 f"({announced.isoformat()})", "events", index, "date")
        if previous is not None and day < previous:
            yield record.problem(f"events must be listed oldest first: {day.isoformat()} comes after "
                                 f"{previous.isoformat()}", "events", index, "date")
        previous = day if previous is None else max(previous, day)
    kinds = {e.get("kind") for _, e in events}
    ends = [i for i, e in events if e.get("kind") == "terminated" and whole_deal(e)]
    if status == "terminated" and not ends:
        yield record.problem("'status' is terminated but no 'terminated' event ends the whole deal (add the event, "
                             "with its date and source, and no territories or products)", "status")
    elif status in ("announced", "active", "completed") and ends:
        yield record.problem(f"'status' is {status} but the event on line {record.line_of('events', ends[-1])} ends "
                             "the whole deal (status: terminated, or leave status out)", "status")
    if status == "completed" and data.get("type") == "acquisition" and "closed" not in kinds:
        yield record.problem("'status' is completed but no 'closed' event says when the acquisition completed",
                             "status")
    if status == "announced" and "launched" in kinds:
        yield record.problem("'status' is announced but an event says a product was launched (status: active, "
                             "or leave status out)", "status")


def check_product_dates(record: Record, today: dt.date) -> Iterator[Problem]:
    """No approval is dated after the day the product's status was checked.

    Fails:
        status_checked: 2026-11-30
        approvals: [{region: EU, date: 2026-12-01}]
    """
    data = record.data if record.kind == "product" and isinstance(record.data, dict) else {}
    checked, approvals = data.get("status_checked"), data.get("approvals")
    if not isinstance(checked, dt.date) or not isinstance(approvals, list):
        return
    for index, approval in enumerate(approvals):
        day = approval.get("date") if isinstance(approval, dict) else None
        if isinstance(day, dt.date) and day > checked:
            yield record.problem(f"approval dated {day.isoformat()} is after 'status_checked' "
                                 f"{checked.isoformat()}", "approvals", index, "date")


def check_duplicate_ids(records: Iterable[Record]) -> Iterator[Problem]:
    """Two files of one kind may not share an id: they would map to the same page.

    Fails: deals/2016/x.yaml and deals/2017/x.yaml
    """
    by_id: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in records:
        by_id[(record.kind, record.id)].append(record)
    for (kind, id_), group in by_id.items():
        if len(group) > 1:
            first = group[0]
            for other in group[1:]:
                yield Problem(other.path, other.line,
                              f"{kind} id '{id_}' is already used by {first.path}:{first.line}")


def validate_record(record: Record, today: dt.date) -> list[Problem]:
    """Return the problems one record has on its own, whatever the other files hold."""
    return [*check_id(record), *check_shape(record, today), *check_financials(record), *check_updated(record),
            *check_year_folder(record, today), *check_exclusions(record), *check_events(record),
            *check_product_dates(record, today)]
