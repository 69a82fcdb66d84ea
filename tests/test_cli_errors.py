"""Each bad input gets its exact `path:line: message`, a non-zero exit and nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, run

CASES = Path(__file__).resolve().parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def lay_case(case: Path, target: Path) -> Path:
    """Copy the base data to `target/deals` and lay the case's files over it."""
    deals = target / "deals"
    shutil.copytree(FIXTURES / "base" / "deals", deals)
    for file in sorted(case.rglob("*")):
        relative = file.relative_to(case)
        if file.is_dir() or relative.as_posix() == "expected.txt":
            continue
        if file.suffix == ".delete":
            (target / relative.with_suffix("")).unlink()
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, destination)
    return target


@pytest.mark.parametrize("name", CASE_NAMES)
def test_bad_input_reports_its_line_and_writes_nothing(name: str, tmp_path: Path, update_golden: bool) -> None:
    case = CASES / name
    project = lay_case(case, tmp_path)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()

    result = run([str(BIN / "digestgen"), "validate", "deals"], cwd=project)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    if update_golden:
        (case / "expected.txt").write_text("".join(line + "\n" for line in result.stderr.splitlines()[:-1]))
        expected = result.stderr.splitlines()[:-1]
    assert result.stderr.splitlines()[:-1] == expected
    assert result.stdout == ""

    render = run([str(BIN / "digestgen"), "render", "deals", "--out", "out", "--content", ""], cwd=project)
    assert render.returncode == 1
    assert not (project / "out").exists()


def test_problems_are_sorted_and_counted(tmp_path: Path) -> None:
    project = lay_case(CASES / "several_problems_in_one_run", tmp_path)
    result = run([str(BIN / "digestgen"), "validate", "deals"], cwd=project)
    lines = result.stderr.splitlines()
    assert lines[:-1] == sorted(lines[:-1], key=lambda line: (line.split(":")[0], int(line.split(":")[1])))
    assert lines[-1] == f"{len(lines) - 1} problems found."


def test_valid_data_prints_counts(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "base" / "deals", tmp_path / "deals")
    result = run([str(BIN / "digestgen"), "validate", "deals"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 2 deals, 4 companies, 3 molecules, 1 products, 3 territories\n"


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "base" / "deals", tmp_path / "deals")
    huge = tmp_path / "deals" / "2016" / "huge-deal-2016.yaml"
    with huge.open("wb") as out:
        out.write(b"title: " + b"x" * (50 * 1024 * 1024) + b"\n")
    result = run([str(BIN / "digestgen"), "validate", "deals"], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "deals/2016/huge-deal-2016.yaml:1: file is too large (52,428,808 bytes; the limit is 1,000,000)")
    assert "Traceback" not in result.stderr


def test_missing_data_folder_is_one_clear_line(tmp_path: Path) -> None:
    result = run([str(BIN / "digestgen"), "validate", "nowhere"], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "nowhere:0: data folder not found"


def test_named_files_are_checked_against_their_whole_data_folder(tmp_path: Path) -> None:
    project = lay_case(CASES / "unknown_company_alias", tmp_path)
    deal = "deals/2016/amgen-daiichi-sankyo-japan-2016.yaml"
    result = run([str(BIN / "digestgen"), "validate", deal], cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{deal}:12: company 'daiichi-sankyo-company-limited' not found (did you mean 'daiichi-sankyo'?)",
        "1 problem found."]
    other = run([str(BIN / "digestgen"), "validate", "deals/products/abp-501.yaml"], cwd=project)
    assert other.returncode == 0 and other.stdout == "ok: 1 file checked against deals\n", other.stderr
