"""`digestgen new`: files start valid (or point at what is left to write), in the right place, never clobbered."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import BIN, FIXTURES, run


def digestgen(*args: str, cwd: Path):  # type: ignore[no-untyped-def]
    return run([str(BIN / "digestgen"), *args], cwd=cwd)


def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "base" / "deals", tmp_path / "deals")
    return tmp_path


DEAL = ["new", "deal", "--title", "Celltrion licenses CT-P10 to Amgen for Norway", "--announced", "2020-01-02",
        "--type", "licensing", "--party", "celltrion:licensor", "--party", "amgen:licensee", "--territory", "NO",
        "--source", "https://example.com/news"]


def test_new_entities_and_a_deal_validate_at_once(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    for args in (["new", "company", "--id", "celltrion", "--name", "Celltrion", "--country", "KR"],
                 ["new", "molecule", "--id", "rituximab", "--name", "Rituximab", "--reference-brand", "Rituxan"],
                 ["new", "product", "--name", "CT-P10", "--molecule", "rituximab", "--developer", "celltrion"],
                 [*DEAL, "--summary", "Celltrion licensed its rituximab biosimilar CT-P10 to Amgen for Norway."]):
        result = digestgen(*args, cwd=cwd)
        assert result.returncode == 0, result.stderr
    deal = cwd / "deals" / "2020" / "celltrion-amgen-2020.yaml"
    assert deal.read_text().startswith("# yaml-language-server: $schema=../../schema/deal.schema.json\n")
    assert "territories: ['NO']" in deal.read_text()  # quoted: unquoted NO is false in YAML
    assert (cwd / "deals" / "products" / "ct-p10.yaml").is_file()
    result = digestgen("validate", "deals", cwd=cwd)
    assert result.returncode == 0, result.stderr


def test_a_deal_without_summary_is_marked_and_validate_points_at_it(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    assert digestgen("new", "company", "--id", "celltrion", "--name", "Celltrion", cwd=cwd).returncode == 0
    result = digestgen(*DEAL, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "still to write (marked in the file): summary" in result.stdout
    deal = cwd / "deals" / "2020" / "celltrion-amgen-2020.yaml"
    check = digestgen("validate", "deals", cwd=cwd)
    assert check.returncode == 1
    assert check.stderr.splitlines()[0] == (
        "deals/2020/celltrion-amgen-2020.yaml:1: missing required field 'summary' in deal")
    deal.write_text(deal.read_text().replace("# summary: (required)", "summary: Celltrion and Amgen agreed. #"))
    assert digestgen("validate", "deals", cwd=cwd).returncode == 0


def test_new_never_overwrites(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    companies = (cwd / "deals" / "companies.yaml").read_text()
    result = digestgen("new", "company", "--id", "amgen", "--name", "Amgen again", cwd=cwd)
    assert result.returncode == 1 and "already has a company 'amgen'" in result.stderr
    assert (cwd / "deals" / "companies.yaml").read_text() == companies
    product = (cwd / "deals" / "products" / "abp-501.yaml").read_text()
    result = digestgen("new", "product", "--name", "ABP 501", "--molecule", "adalimumab", "--developer", "amgen",
                       cwd=cwd)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert (cwd / "deals" / "products" / "abp-501.yaml").read_text() == product


def test_unknown_references_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    result = digestgen(*DEAL, cwd=cwd)  # celltrion is not a company yet
    assert result.returncode == 1
    assert "no company 'celltrion' in companies.yaml (add it first: digestgen new company)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (cwd / "deals" / "2020").exists()
