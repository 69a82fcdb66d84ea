"""Property-based: whatever YAML-shaped data an editor writes, checking it never crashes.

The only way out of the checks is a list of problems (or `ContractError` from the
functions that raise it): never another exception, never a traceback for an editor.
"""

from __future__ import annotations

import datetime as dt
import shutil
import string
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from digestgen.contract import DEAL, PARTY, PRODUCT, SOURCE
from digestgen.load import parse_yaml
from digestgen.pipeline import check_data, load_catalog
from digestgen.problems import ContractError

KEYS = sorted({*DEAL.names, *PRODUCT.names, *PARTY.names, *SOURCE.names, "amount", "currency", "x"})
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(string.printable, max_size=30), st.sampled_from(["JP", "NO", "EU", "amgen", "abp-501", "USD", ""]),
    st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5)),
    max_leaves=25,
)
documents = st.one_of(values, st.dictionaries(st.sampled_from(KEYS), values, max_size=12))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data_dir: Path) -> None:
    records, problems = check_data(data_dir, today=dt.date(2026, 11, 29))
    for problem in problems:  # each names a file of the folder, a line and what is wrong
        assert problem.path.startswith(str(data_dir)) and problem.line >= 0 and problem.message.strip(), problem
    try:
        load_catalog(data_dir, today=dt.date(2026, 11, 29))
    except ContractError as error:
        assert problems and list(error.problems) == problems  # the same problems, and only when there are some
    else:
        assert not problems


@SETTINGS
@given(document=documents, where=st.sampled_from(["2016/amgen-daiichi-sankyo-japan-2016.yaml",
                                                    "products/abp-501.yaml", "companies.yaml", "molecules.yaml"]))
def test_any_yaml_shaped_data_gives_problems_not_crashes(document: Any, where: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="prop-"))
    try:
        shutil.copytree(FIXTURES / "base" / "deals", folder / "deals")
        (folder / "deals" / where).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        check(folder / "deals")
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_text_parses_to_data_or_one_problem(text: str) -> None:
    data, lines, problem, _ = parse_yaml(text, "x.yaml", keep_lines=True)
    assert (problem is None) or (data is None and problem.path == "x.yaml" and problem.line >= 1)


def test_a_malformed_name_list_is_reported_not_a_crash(tmp_path: Path) -> None:
    # found by the test above: `brands: true` once crashed the matcher of names
    shutil.copytree(FIXTURES / "base" / "deals", tmp_path / "deals")
    (tmp_path / "deals" / "products" / "abp-501.yaml").write_text("amount:\nbrands: true\n", encoding="utf-8")
    check(tmp_path / "deals")
