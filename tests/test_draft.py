"""`digestgen draft`: a press release becomes a deal file that needs only its summary.

The pages under tests/fixtures/draft/ are written for these tests in the shape of press releases;
a local server plays the web: a page with full metadata, one with none, a redirect, a 404 and a
page that answers too late.
"""

from __future__ import annotations

import http.server
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import BIN, FIXTURES, local_web, run

PAGES = FIXTURES / "draft"


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/plain.html")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(3)
        page = PAGES / self.path.lstrip("/")
        if self.path == "/slow" or not page.is_file():
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page.read_bytes())


@pytest.fixture
def web() -> Iterator[str]:
    yield from local_web(_Handler)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "base" / "deals", tmp_path / "deals")
    return tmp_path


def draft(cwd: Path, *args: str):  # type: ignore[no-untyped-def]
    return run([str(BIN / "digestgen"), "draft", *args], cwd=cwd)


def deal_files(cwd: Path) -> set[Path]:
    return set((cwd / "deals").glob("20*/*.yaml"))


def test_a_release_with_metadata_needs_only_its_summary(project: Path, web: str) -> None:
    result = draft(project, f"{web}/release.html")
    assert result.returncode == 0, result.stderr
    path = project / "deals" / "2025" / "amgen-daiichi-sankyo-abp-501-2025.yaml"
    assert f"wrote deals/2025/{path.name}" in result.stdout
    text = path.read_text(encoding="utf-8")
    deal = yaml.safe_load(text)
    assert deal["announced"].isoformat() == "2025-06-02"  # JSON-LD datePublished, not dateModified
    assert deal["title"] == "Amgen and Daiichi Sankyo Sign Licence for ABP 501 in Japan and Taiwan"
    assert deal["type"] == "licensing" and deal["exclusive"] is True
    assert deal["parties"] == [{"company": "amgen", "role": "licensor"},  # ABP 501's developer
                               {"company": "daiichi-sankyo", "role": "licensee"}]
    # the dateline's California and the "About" sections' countries are not the deal's
    assert deal["territories"] == ["JP", "TW"]
    assert deal["products"] == ["abp-501"] and "molecules" not in deal  # adalimumab comes with ABP 501
    assert deal["financials"] == {"upfront": {"amount": 25_000_000, "currency": "USD"}}
    assert deal["sources"] == [{"url": "https://newsroom.amgen.example/releases/abp-501-japan-taiwan",
                                "title": deal["title"], "publisher": "Amgen Newsroom",
                                "date": deal["announced"]}]
    assert "summary" not in deal  # never taken from the page
    marked = [line.split(":")[0].strip() for line in text.splitlines() if "# draft:" in line and
              not line.startswith("#")]
    assert marked == ["title", "announced", "type", "exclusive", "parties", "territories", "products",
                      "financials", "publisher", "date"]
    assert "still to write: summary" in result.stdout

    # the one hand edit: the summary; then the deal validates
    path.write_text(text + "summary: Amgen licensed ABP 501 to Daiichi Sankyo for Japan and Taiwan.\n",
                    encoding="utf-8")
    check = run([str(BIN / "digestgen"), "validate", str(path.relative_to(project))], cwd=project)
    assert check.returncode == 0, check.stderr


def test_a_saved_page_drafts_the_same_deal_offline(project: Path, web: str) -> None:
    assert draft(project, str(PAGES / "release.html")).returncode == 0
    saved = (project / "deals" / "2025" / "amgen-daiichi-sankyo-abp-501-2025.yaml").read_text(encoding="utf-8")
    (project / "deals" / "2025" / "amgen-daiichi-sankyo-abp-501-2025.yaml").unlink()
    assert draft(project, f"{web}/release.html").returncode == 0
    served = (project / "deals" / "2025" / "amgen-daiichi-sankyo-abp-501-2025.yaml").read_text(encoding="utf-8")
    assert saved == served


def test_a_page_without_metadata_asks_for_the_date_then_drafts_from_the_text(project: Path, web: str) -> None:
    before = deal_files(project)
    result = draft(project, f"{web}/moved")  # redirected to /plain.html
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the page gives no publication date; pass the announcement's with --announced" in result.stderr
    assert "nothing was written" in result.stderr and deal_files(project) == before

    result = draft(project, f"{web}/moved", "--announced", "2024-05-06")
    assert result.returncode == 0, result.stderr
    deal = yaml.safe_load((project / "deals" / "2024" / "roche-abbvie-bevacizumab-2024.yaml").read_text())
    assert deal["type"] == "settlement"
    assert [p["company"] for p in deal["parties"]] == ["roche", "abbvie"]
    assert {p["role"] for p in deal["parties"]} == {"partner"}
    assert deal["territories"] == ["US", "CA"]  # "to us" in lower case is not the United States
    assert deal["molecules"] == ["bevacizumab", "adalimumab"]
    assert deal["financials"] == {"disclosed": False}
    assert deal["sources"][0]["url"] == f"{web}/plain.html"  # where the redirect led
    assert "title" not in deal and "still to write: summary, title" in result.stdout


@pytest.mark.parametrize(("path", "said"), [("/gone", "answers 404 Not Found"),
                                            ("/slow", "did not answer within 1 s")])
def test_a_page_that_does_not_answer_writes_nothing(project: Path, web: str, path: str, said: str) -> None:
    before = deal_files(project)
    result = draft(project, f"{web}{path}", "--timeout", "1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"digestgen draft: {web}{path} {said}" in result.stderr
    assert "nothing was written" in result.stderr and deal_files(project) == before


def test_a_release_already_in_the_data_is_not_drafted_twice(project: Path, web: str) -> None:
    assert draft(project, f"{web}/release.html").returncode == 0
    again = draft(project, str(PAGES / "release.html"))
    assert again.returncode == 1
    assert ("deals/2025/amgen-daiichi-sankyo-abp-501-2025.yaml already cites "
            "https://newsroom.amgen.example/releases/abp-501-japan-taiwan") in again.stderr
    forced = draft(project, f"{web}/release.html", "--force", "--id", "amgen-daiichi-sankyo-taiwan-2025")
    assert forced.returncode == 0, forced.stderr
    assert (project / "deals" / "2025" / "amgen-daiichi-sankyo-taiwan-2025.yaml").is_file()


def test_a_missing_file_is_a_message(project: Path) -> None:
    result = draft(project, "no-such-page.html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no-such-page.html is neither an http(s) address nor a saved page" in result.stderr


def test_places_a_release_says_are_left_out_become_exclusions(project: Path, web: str) -> None:
    result = draft(project, f"{web}/worldwide.html")
    assert result.returncode == 0, result.stderr
    assert "left out: CN, JP, US" in result.stdout
    path = project / "deals" / "2025" / "roche-abbvie-bevacizumab-2025.yaml"
    text = path.read_text(encoding="utf-8")
    deal = yaml.safe_load(text)
    # "excluding mainland China and Japan" and "ex-US"; Basel's dateline and "About Roche" are not the deal's
    assert deal["territories"] == ["WORLDWIDE"]
    assert deal["excluded_territories"] == ["CN", "JP", "US"]
    assert "excluded_territories: [CN, JP, US]  # draft: places the page says the deal leaves out" in text
    assert deal["exclusive"] is False and deal["type"] == "licensing"
    path.write_text(text + "summary: Roche licensed its bevacizumab biosimilar to AbbVie outside China and Japan.\n",
                    encoding="utf-8")
    check = run([str(BIN / "digestgen"), "validate", str(path.relative_to(project))], cwd=project)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(("text", "covered", "excluded"), [
    ("rights in South Africa and Kenya", ["ZA", "KE"], []),  # South Africa is not also Africa
    ("all markets outside the United States", [], ["US"]),
    ("worldwide with the exception of Greater China", ["WORLDWIDE"], ["CN"]),
    ("worldwide other than Korea, and it will launch in Europe", ["WORLDWIDE", "EUROPE"], ["KR"]),
    ("every country except Japan. Sandoz will sell it in Canada", ["CA"], ["JP"]),
])
def test_places_tell_what_a_deal_covers_from_what_it_leaves_out(text: str, covered: list[str],
                                                                excluded: list[str]) -> None:
    from digestgen.draft import places

    assert places(text) == (covered, excluded)
