"""The preview, as `make serve` runs it on MkDocs (`mkdocs serve --dirty`) and on Zensical: edits show up,
only touched pages are rebuilt, broken data keeps the last good version and says why."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from conftest import BIN, ENGINES, SUB_PATH, fetch, free_port, wait_for

DEAL = "deals/2016/amgen-daiichi-sankyo-japan-2016.yaml"


@pytest.fixture(params=ENGINES)
def served(request: pytest.FixtureRequest, tmp_path: Path, fixture_site: Path) -> Iterator[tuple[Path, str]]:
    """`make serve` (`digestgen serve`) on each engine, in a copy of the fixture project."""
    project = tmp_path / "project"
    shutil.copytree(fixture_site, project, ignore=shutil.ignore_patterns("site"))
    port = free_port()
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen([str(BIN / "digestgen"), "serve", "--engine", request.param,
                                   "-a", f"127.0.0.1:{port}"], cwd=project, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}{SUB_PATH}"
        try:
            wait_for(lambda: server.poll() is None and fetch(url + "pagefind/pagefind.js")[0] == 200,
                     f"the {request.param} preview to start")
            engine = psutil.Process(server.pid).children(recursive=True)
            assert engine, "the engine's server runs under digestgen serve"
            yield project, url
        finally:
            server.terminate()
            server.wait(timeout=30)
    # stopping the preview stops the engine's server it started
    gone, alive = psutil.wait_procs(engine, timeout=15)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"


def test_an_edit_is_served_on_every_page_that_shows_it(served: tuple[Path, str]) -> None:
    project, url = served
    deal = project / DEAL
    time.sleep(1.5)  # the watcher ignores changes made while the first build settles
    deal.write_text(deal.read_text().replace("title: Amgen licenses nine", "title: Amgen licenses NINE"))
    start = time.monotonic()
    wait_for(lambda: "Amgen licenses NINE" in fetch(url + "deals/amgen-daiichi-sankyo-japan-2016/")[1], "the edit")
    print(f"the edit was served after {time.monotonic() - start:.2f} s")
    assert "Amgen licenses NINE" in fetch(url + "companies/daiichi-sankyo/")[1]
    assert "Amgen licenses NINE" in fetch(url + "territories/jp/")[1]


def test_broken_data_keeps_the_last_good_site_and_a_fix_recovers(served: tuple[Path, str]) -> None:
    project, url = served
    deal = project / DEAL
    good = deal.read_text()
    page = url + "deals/amgen-daiichi-sankyo-japan-2016/"
    time.sleep(1.5)
    deal.write_text(good.replace("type: licensing", "type: licencing"))
    log = project.parent / "serve.log"
    wait_for(lambda: "amgen-daiichi-sankyo-japan-2016.yaml:3: 'type' value 'licencing'" in log.read_text(),
             "the problem in the log")
    status, html = fetch(page)
    assert status == 200 and "Amgen licenses nine" in html
    deal.write_text(good.replace("title: Amgen licenses nine", "title: Amgen licenses nine (fixed)"))
    wait_for(lambda: "(fixed)" in fetch(page)[1], "the fix to be served")


def test_a_deleted_deal_leaves_the_site(served: tuple[Path, str]) -> None:
    project, url = served
    deal = next(p for p in (project / "deals").glob("20*/*.yaml") if "amgen-daiichi" not in p.name)
    page = url + f"deals/{deal.stem}/"
    assert fetch(page)[0] == 200
    time.sleep(1.5)
    deal.unlink()
    wait_for(lambda: fetch(page)[0] == 404, "the deleted deal's page to go")


def visit(page: Any, address: str) -> None:
    """Open a page; again if the preview's live reload cut the navigation short (a rebuild that
    finishes while the page loads reloads it)."""
    for attempt in range(5):
        try:
            page.goto(address)
            return
        except Exception as error:  # Playwright's navigation error
            if attempt == 4 or not any(cut in str(error) for cut in ("interrupted by another navigation",
                                                                     "net::ERR_ABORTED")):
                raise
            time.sleep(0.5)


def test_broken_data_shows_its_problems_on_every_page_of_the_preview(served: tuple[Path, str], page: Any) -> None:
    project, url = served
    deal = project / DEAL
    good = deal.read_text()
    time.sleep(1.5)
    deal.write_text(good.replace("type: licensing", "type: licencing").replace(
        "title: Amgen licenses nine", "title: <b>Amgen</b> licenses nine"))
    log = project.parent / "serve.log"
    wait_for(lambda: "the preview shows the last good version: 1 problem to fix" in log.read_text(), "the problem")
    after = log.read_text().split("'type' value 'licencing'", 1)[1]
    assert "Documentation built" not in after  # the log does not claim the build worked
    problem = "deals/2016/amgen-daiichi-sankyo-japan-2016.yaml:3: 'type' value 'licencing' is not allowed"
    time.sleep(1)  # an edit can start two builds: let the second one finish before browsing
    for address in ("", "companies/amgen/", "deals/amgen-daiichi-sankyo-japan-2016/"):  # edited or not
        visit(page, url + address)
        banner = page.locator(".digest-stale")
        banner.wait_for()
        assert problem in banner.inner_text() and "last good version" in banner.inner_text()
        assert page.locator(".digest-stale b").count() == 0  # problems are text, never HTML
    deal.write_text(good)
    wait_for(lambda: "\"problems\": []" in fetch(url + "digestgen-status.json")[1], "the fix")
    time.sleep(1)
    for attempt in range(5):  # a live reload can cut the page short while its script checks
        visit(page, url + "companies/amgen/")
        try:
            page.wait_for_selector("html[data-digest-status]", state="attached", timeout=10_000)
            checked = page.get_attribute("html", "data-digest-status")
            if checked:
                break
        except Exception as error:  # Playwright's "context destroyed" when the page reloaded
            if attempt == 4:
                raise
            print(f"the page reloaded while it checked the status: {error}")
        if attempt == 4:
            pytest.fail("the page never finished checking the preview's status")
    assert checked == "current"
    assert page.locator(".digest-stale").count() == 0
