"""The whole chain from a data folder to a catalog: load, validate, resolve references."""

from __future__ import annotations

import datetime as dt
import os

from .catalog import Catalog, build_catalog, check_references
from .load import load_data
from .problems import ContractError
from .validate import validate_records


def load_catalog(data_dir: str | os.PathLike[str], today: dt.date | None = None) -> Catalog:
    """Return the catalog of a data folder, or raise `ContractError` with every problem found."""
    loaded = load_data(data_dir)
    problems = [
        *loaded.problems,
        *validate_records(loaded.records, today or dt.date.today()),
        *check_references(loaded.records),  # in the same run, so one pass reports everything
    ]
    if problems:
        raise ContractError(problems)
    return build_catalog(loaded.records)
