"""`mkdocs serve --dirty`, as `make serve` runs it: edits show up, only touched pages are rebuilt."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import BIN

DEAL = "deals/2016/amgen-daiichi-sankyo-japan-2016.yaml"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:  # not listening yet
        return 0, ""


def wait_for(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture
def served(tmp_path: Path, fixture_site: Path) -> Iterator[tuple[Path, str]]:
    project = tmp_path / "project"
    shutil.copytree(fixture_site, project, ignore=shutil.ignore_patterns("site"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/digest/"
    try:
        wait_for(lambda: server.poll() is None and fetch(url)[0] == 200, "mkdocs serve to start")
        yield project, url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_an_edit_is_served_on_every_page_that_shows_it(served: tuple[Path, str]) -> None:
    project, url = served
    deal = project / DEAL
    time.sleep(1.5)  # the watcher ignores changes made while the first build settles
    deal.write_text(deal.read_text().replace("title: Amgen licenses nine", "title: Amgen licenses NINE"))
    wait_for(lambda: "Amgen licenses NINE" in fetch(url + "deals/amgen-daiichi-sankyo-japan-2016/")[1], "the edit")
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
