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
    assert result.returncode == 1 and "product 'abp-501' (deals/products/abp-501.yaml:1) already goes by a name " \
        "like 'ABP 501'" in result.stderr
    assert (cwd / "deals" / "products" / "abp-501.yaml").read_text() == product


def test_unknown_references_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    result = digestgen(*DEAL, cwd=cwd)  # celltrion is not a company yet
    assert result.returncode == 1
    assert "no company 'celltrion' in companies.yaml (add it first: digestgen new company)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (cwd / "deals" / "2020").exists()


def test_a_slip_gets_a_did_you_mean_and_a_near_duplicate_is_refused(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    deal = ["new", "deal", "--title", "t", "--announced", "2020-01-02", "--type", "licensing",
            "--party", "amgen:licensor", "--source", "https://example.com/a"]
    for extra, said in [
        (["--party", "daiichi-sankyo-company-limited:licensee", "--territory", "JP"],
         "no company 'daiichi-sankyo-company-limited' in companies.yaml (did you mean 'daiichi-sankyo'?)"),
        (["--party", "daichi-sankyo:licensee", "--territory", "JP"], "(did you mean 'daiichi-sankyo'?)"),
        (["--party", "daiichi-sankyo:licencee", "--territory", "JP"], "(did you mean 'licensee'?)"),
        (["--party", "daiichi-sankyo:licensee", "--territory", "UK"], "(did you mean 'GB'?)"),
        (["--party", "daiichi-sankyo:licensee", "--territory", "Worldwide"], "(did you mean 'WORLDWIDE'?)"),
        (["--party", "daiichi-sankyo:licensee", "--territory", "JP", "--molecule", "adalimumb"],
         "no molecule 'adalimumb' in molecules.yaml (did you mean 'adalimumab'?)"),
        (["--party", "daiichi-sankyo:licensee", "--territory", "JP", "--product", "abp501"],
         "(did you mean 'abp-501'?)"),
    ]:
        result = digestgen(*deal, *extra, cwd=cwd)
        assert result.returncode == 1 and said in result.stderr, (extra, result.stderr)
    assert not (cwd / "deals" / "2020").exists()
    clash = digestgen("new", "company", "--id", "daiichi", "--name", "Daiichi Sankyo", cwd=cwd)
    assert clash.returncode == 1
    assert "company 'daiichi-sankyo' (deals/companies.yaml:9) already goes by a name like 'Daiichi Sankyo'" \
        in clash.stderr and "--force" in clash.stderr
    assert digestgen("new", "company", "--id", "daiichi-nbs", "--name", "Daiichi NBS", "--force",
                     cwd=cwd).returncode == 0


def test_a_new_deal_carries_every_fact_given_and_entries_keep_their_order(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    assert digestgen("new", "company", "--id", "bayer", "--name", "Bayer", "--country", "DE", cwd=cwd).returncode == 0
    ids = [line.split(":")[0] for line in (cwd / "deals" / "companies.yaml").read_text().splitlines()
           if line and not line.startswith((" ", "#"))]
    assert ids.index("bayer") == ids.index("amgen") + 1  # before daiichi-sankyo, the first id after it
    result = digestgen("new", "deal", "--title", "Amgen licenses ABP 501 to Bayer for Germany",
                       "--announced", "2020-01-02", "--type", "licensing", "--party", "amgen:licensor",
                       "--party", "bayer:licensee", "--territory", "DE", "--product", "abp-501", "--exclusive",
                       "--source", "https://example.com/a", "--source-title", "Amgen and Bayer: a licence",
                       "--source-publisher", "Example Wire", "--source-date", "2020-01-03",
                       "--upfront", "33M USD", "--total", "131.6M USD", "--summary", "Amgen licensed ABP 501.",
                       cwd=cwd)
    assert result.returncode == 0, result.stderr
    text = (cwd / "deals" / "2020" / "amgen-bayer-abp-501-2020.yaml").read_text()
    for line in ("exclusive: true", "products: [abp-501]", "  upfront: {amount: 33000000, currency: USD}",
                 "  total: {amount: 131600000, currency: USD}", "    title: 'Amgen and Bayer: a licence'",
                 "    publisher: Example Wire", "    date: 2020-01-03"):
        assert line in text.splitlines(), line
    assert digestgen("validate", "deals", cwd=cwd).returncode == 0
    again = digestgen("new", "deal", "--title", "t", "--announced", "2020-01-02", "--type", "licensing",
                      "--party", "amgen:licensor", "--party", "bayer:licensee", "--territory", "DE",
                      "--product", "abp-501", "--source", "https://example.com/b", cwd=cwd)
    assert again.returncode == 1 and "choose another id with --id" in again.stderr
    bad = digestgen("new", "deal", "--title", "t", "--announced", "2020-01-02", "--type", "licensing",
                    "--party", "amgen:licensor", "--territory", "DE", "--upfront", "33 million", "--id", "x-2020",
                    "--source", "https://example.com/b", cwd=cwd)
    assert bad.returncode == 1 and "--upfront '33 million' is not an amount and a currency" in bad.stderr


def test_a_new_deal_can_leave_countries_out_of_a_region(tmp_path: Path) -> None:
    cwd = project(tmp_path)
    deal = ["new", "deal", "--title", "Amgen licenses ABP 501 to Daiichi Sankyo worldwide except China",
            "--announced", "2020-01-02", "--type", "licensing", "--party", "amgen:licensor",
            "--party", "daiichi-sankyo:licensee", "--source", "https://example.com/a", "--summary", "A licence."]
    for extra, said in [(["--territory", "JP", "--exclude", "CN"], "give one with --territory (WORLDWIDE"),
                        (["--territory", "WORLDWIDE", "--exclude", "China"], "--exclude 'China' is not an ISO"),
                        (["--territory", "ASIA", "--territory", "CN", "--exclude", "CN"],
                         "also given with --territory")]:
        result = digestgen(*deal, *extra, cwd=cwd)
        assert result.returncode == 1 and said in result.stderr, (extra, result.stderr)
    assert not (cwd / "deals" / "2020").exists()
    result = digestgen(*deal, "--territory", "WORLDWIDE", "--exclude", "CN", cwd=cwd)
    assert result.returncode == 0, result.stderr
    text = next((cwd / "deals" / "2020").glob("*.yaml")).read_text()
    assert "excluded_territories: [CN]" in text.splitlines()
    assert digestgen("validate", "deals", cwd=cwd).returncode == 0
