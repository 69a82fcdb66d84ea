"""`digestgen synth` writes valid, reproducible data; checking in parallel finds what one process finds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import BIN, FIXTURES, run
from digestgen import pipeline


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_synth_is_valid_and_reproducible(tmp_path: Path) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        result = run([str(BIN / "digestgen"), "synth", "--deals", "300", "--seed", str(seed), "--out", name],
                     cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    a, b, c = (tree(tmp_path / name) for name in "abc")
    assert a == b
    assert a != c
    assert sum(1 for path in a if path[:4].isdigit()) == 300
    assert sum(1 for path in a if path.startswith("products/")) == 60
    result = run([str(BIN / "digestgen"), "validate", "a"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 300 deals, 15 companies, 40 molecules, 60 products, ")


def test_synth_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    result = run([str(BIN / "digestgen"), "synth", "--deals", "5", "--out", "out"], cwd=tmp_path)
    assert result.returncode == 1
    assert "not an empty folder" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("keep_data", [True, False])
def test_parallel_check_reports_what_a_single_process_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              keep_data: bool) -> None:
    data = tmp_path / "deals"
    shutil.copytree(FIXTURES / "base" / "deals", data)
    deal = next(data.glob("20*/*.yaml"))
    text = deal.read_text()
    broken = text.replace("type: ", "type: licencing\ntyp: ", 1)
    deal.write_text(broken.replace("company: ", "company: nobody-co\n    role2: x\n  - company: ", 1))
    (data / "2020").mkdir(exist_ok=True)
    (data / "2020" / "broken.yaml").write_text("title: [unclosed\n")
    serial = pipeline.check_data(data, keep_data=keep_data)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    parallel = pipeline.check_data(data, keep_data=keep_data)
    assert serial[1] == parallel[1]
    messages = "\n".join(p.message for p in serial[1])
    for expected in ("'type' value 'licencing'", "unknown field 'typ'", "company 'nobody-co' not found",
                     "yaml syntax error"):
        assert expected in messages
    assert [r.id for r in serial[0]] == [r.id for r in parallel[0]]
    if keep_data:
        assert [r.data for r in serial[0]] == [r.data for r in parallel[0]]


def test_synthetic_products_never_share_a_brand_even_at_10000_deals(tmp_path: Path) -> None:
    # a shared brand is a duplicate product to the validator, so `make bench` would stop at 10,000
    assert run([str(BIN / "digestgen"), "synth", "--deals", "10000", "--seed", "1", "--out", str(tmp_path / "d")],
               cwd=tmp_path).returncode == 0
    brands = [b for f in sorted((tmp_path / "d" / "products").glob("*.yaml"))
              for b in yaml.safe_load(f.read_text(encoding="utf-8")).get("brands", [])]
    assert len(brands) > 500 and len(set(brands)) == len(brands)
