"""`make bench` keeps working: a tiny run of the benchmark prints its figures and writes its report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run

pytestmark = pytest.mark.build  # runs the benchmark, builds included, at a tiny size


def test_benchmark_runs_end_to_end_at_a_tiny_size(tmp_path: Path) -> None:
    result = run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "40", "--repeats", "1",
                  "--no-serve", "--work", str(tmp_path / "work"), "--results", str(tmp_path / "results")], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for label in ("validate", "render", "zensical build", "mkdocs build", "bare + search", "bare, no plugin",
                  "deal page (median)"):
        assert label in result.stdout
    [report] = (tmp_path / "results").glob("bench-*-40.json")
    data = json.loads(report.read_text())
    assert data["machine"]["cores"] >= 1 and data["machine"]["mkdocs"].startswith("1.")
    figures = data["results"]["40"]
    assert figures["build"]["seconds"] > 0 and figures["zensical_build"]["seconds"] > 0
    assert figures["bare_build"]["seconds"] > 0
    assert figures["deal_page_kb"] > 5
    assert not any(figures["search"][i]["results"] == 0 for i in (2, 3, 5))  # molecule, brand, territory
    assert figures["filter"]["seconds_to_rows"] > 0 and "match" in figures["filter"]["status"]
