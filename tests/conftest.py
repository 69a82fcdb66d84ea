"""Shared fixtures: real data folders, real builds, built once per session."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/expected/ from the output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a project command the way an editor would, and return its result."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def make_project(target: Path, deals: Path) -> Path:
    """Lay out a project (mkdocs.yml, content/, theme/) around a copy of a data folder."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "theme", target / "theme")
    shutil.copytree(deals, target / "deals")
    return target


# The engines the site is built and tested with: both, unless DIGEST_TEST_ENGINES names some (CI runs one
# job per engine).
ENGINES = tuple(os.environ.get("DIGEST_TEST_ENGINES", "mkdocs zensical").split())


def site_build(project: Path, engine: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """Build a project's site as `make site` does: `digestgen build`, strict, with search."""
    return run([str(BIN / "digestgen"), "build", "--engine", engine], cwd=project)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base fixture data built into a full site; returns the project folder."""
    project = make_project(tmp_path_factory.mktemp("fixture") / "project", FIXTURES / "base" / "deals")
    result = site_build(project)
    assert result.returncode == 0, result.stderr
    return project


Build = tuple[Path, subprocess.CompletedProcess[str]]  # a project folder, and the run that built its site
_shipped: dict[str, Build] = {}


def shipped_site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Build:
    """The shipped data built strictly by `engine`, once a session: the project folder and the run."""
    if engine not in _shipped:
        project = make_project(tmp_path_factory.mktemp(f"shipped-{engine}") / "project", ROOT / "deals")
        _shipped[engine] = project, site_build(project, engine)
    return _shipped[engine]


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: the reader, link, accessibility and search tests run on both sites."""
    return str(request.param)


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Build:
    """The shipped data built strictly into a full site by each engine; the project folder and the run."""
    return shipped_site(tmp_path_factory, engine)


@pytest.fixture(scope="session")
def site(shipped_build: Build) -> Path:
    """The built shipped site (of each engine in turn)."""
    project, build = shipped_build
    assert build.returncode == 0, build.stderr
    return project / "site"


@pytest.fixture(scope="session")
def built_catalog(site: Path) -> Any:
    """The catalog of the data the site was built from: a copy taken when the session began, so that
    data edited meanwhile (by an editor working beside the tests) does not disagree with the site."""
    from digestgen.pipeline import load_catalog

    return load_catalog(site.parent / "deals")


def local_web(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free local port; yield its address (a stand-in for the web in tests)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def shipped_catalog() -> Any:
    """The catalog of the shipped data, loaded once for the whole run."""
    from digestgen.pipeline import load_catalog

    return load_catalog(ROOT / "deals")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what drives a browser and what builds a site, so `-m "not browser and not build"` is quick."""
    browser = {"browser", "page", "shipped_url"}
    build = {"fixture_site", "shipped_build", "shipped_url", "synth_site", "served", "site"}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & browser:
            item.add_marker(pytest.mark.browser)
        if names & build:
            item.add_marker(pytest.mark.build)


def as_json(value: Any) -> Any:
    """Return YAML data as JSON sees it: dates become the text an editor typed."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# -- servers: a built site over HTTP, and `mkdocs serve` ------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    """Return a page's status and text (0 when nothing listens there yet)."""
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


@contextlib.contextmanager
def mkdocs_serve(project: Path, *options: str, ready: str = "", log: IO[str] | None = None) -> Iterator[str]:
    """Run `mkdocs serve` on a free port in a project; yield its site address once `ready` answers 200."""
    port = free_port()
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", *options, "-a", f"127.0.0.1:{port}"], cwd=project,
                              stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}{SUB_PATH}"
    try:
        wait_for(lambda: server.poll() is None and fetch(url + ready)[0] == 200, "mkdocs serve to start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- a real browser on a real server ---------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian's; CI on GitHub's Ubuntu sets Google Chrome
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SUB_PATH = "/digest/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "allowed")  # lets LinkChecker ask more than 10 times a second
        super().end_headers()


@contextlib.contextmanager
def serve_site(site: Path, beside: dict[str, Path] | None = None) -> Iterator[str]:
    """Serve a built site under a project-pages-like sub-path; yield its root address.

    `beside` serves more folders next to it, each under its own name (`/name/`).
    """
    root = Path(tempfile.mkdtemp(prefix="served-"))
    (root / SUB_PATH.strip("/")).symlink_to(site.resolve(), target_is_directory=True)
    for name, folder in (beside or {}).items():
        (root / name).symlink_to(folder.resolve(), target_is_directory=True)
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(root)


@pytest.fixture(scope="session")
def shipped_url(shipped_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Iterator[str]:
    """The shipped data's site, built strictly and served under the sub-path; yields its root address."""
    project, build = shipped_build
    assert build.returncode == 0, build.stderr
    with serve_site(project / "site") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def search(page: Any, words: str) -> list[tuple[str, str]]:
    """Type into the header search box; return the (title, address) of each result shown."""
    box = page.locator(".md-search__input")
    box.click()
    box.fill(words)
    page.wait_for_selector("[data-search-state=done]")
    page.wait_for_function("q => document.querySelector('.md-search__input').value.trim() === q", arg=words)
    results = page.locator(".md-search-result__item a")
    return [(results.nth(i).locator("h1").inner_text(), results.nth(i).get_attribute("href"))
            for i in range(results.count())]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
