"""The whole chain from a data folder to a catalog: load, validate, resolve references.

Reading and checking each file does not depend on the others, so a large folder is
split across processes (one per core); what spans files (duplicate ids, references)
is checked once everything is in.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .catalog import Catalog, build_catalog, check_references, references_only
from .load import Record, data_files, kind_of, load_file
from .problems import ContractError, Problem
from .validate import check_duplicate_ids, validate_record

PARALLEL_FROM = 2000  # files; below this a second process costs more than it saves


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived objects.

    Loading creates millions of small objects and no cycles; a pass of the
    collector over them costs more than the loading itself at 10,000 files.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Checked = tuple[list[Record], list[Problem], list[tuple[str, str]]]


def _check_files(base: Path, files: list[Path], today: dt.date, keep_data: bool) -> Checked:
    records: list[Record] = []
    problems: list[Problem] = []
    unreadable: list[tuple[str, str]] = []
    with _no_gc():
        for file in files:
            found, file_problems = load_file(base, file)
            problems.extend(file_problems)
            if not found:
                kind = kind_of(file.relative_to(base).as_posix())
                if kind in ("deal", "product"):
                    unreadable.append((kind, file.stem))
            for record in found:
                problems.extend(validate_record(record, today))
                records.append(record if keep_data else references_only(record))
    return records, problems, unreadable


def _check_chunk(args: tuple[Path, list[Path], dt.date, bool]) -> Checked:
    return _check_files(*args)


def _jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1


def check_data(data_dir: str | os.PathLike[str], today: dt.date | None = None,
               keep_data: bool = True) -> tuple[list[Record], list[Problem]]:
    """Return every record of a data folder and every problem found in it, sorted.

    Without `keep_data`, records carry only their references (enough to check them),
    which spares copying all the data between processes when only checking.
    """
    with _no_gc():
        return _check_data(Path(data_dir), today or dt.date.today(), keep_data)


def _check_data(base: Path, today: dt.date, keep_data: bool) -> tuple[list[Record], list[Problem]]:
    files, problems = data_files(base)
    jobs = min(_jobs(), 8)
    if len(files) >= PARALLEL_FROM and jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        size = -(-len(files) // jobs)
        chunks = [(base, files[i:i + size], today, keep_data) for i in range(0, len(files), size)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_check_chunk, chunks)
    else:
        results = [_check_files(base, files, today, keep_data)]
    records = [record for found, _, _ in results for record in found]
    problems += [problem for _, found, _ in results for problem in found]
    problems += check_duplicate_ids(records)
    # in the same run, so one pass reports everything
    problems += check_references(records, [pair for _, _, pairs in results for pair in pairs])
    return records, sorted(set(problems))


def validate_data(data_dir: str | os.PathLike[str], today: dt.date | None = None) -> list[Record]:
    """Return the records of a valid data folder, or raise `ContractError` with every problem."""
    records, problems = check_data(data_dir, today)
    if problems:
        raise ContractError(problems)
    return records


def load_catalog(data_dir: str | os.PathLike[str], today: dt.date | None = None) -> Catalog:
    """Return the catalog of a data folder, or raise `ContractError` with every problem found."""
    with _no_gc():
        return build_catalog(validate_data(data_dir, today))
