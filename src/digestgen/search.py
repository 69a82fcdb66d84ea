"""Full-text search for the built site, with Pagefind.

Pagefind indexes the built HTML into many small files; the reader's browser fetches
only the parts of the index a query needs (a few hundred KB at 10,000 deals,
against the 12 MB that Material's one-file index would weigh). This module knows
Pagefind, not MkDocs: the plugin calls `index_site` once the HTML is written. Only
what the theme marks `data-pagefind-body` (the article of each page that is not
excluded from search) is indexed.

`mkdocs build` streams each page, as MkDocs writes it, to a helper process that
drives Pagefind's service (`StreamingIndex`): indexing then runs on the other core
while MkDocs renders, instead of after it. Elsewhere (`mkdocs serve`, where only
changed pages are rebuilt) `index_site` runs the Pagefind binary over the folder.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import multiprocessing
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

OUTPUT = "pagefind"  # folder of the index, inside the site
EXCLUDE_SELECTORS = ".headerlink"  # the ¶ of every heading
# Pagefind writes its ready-made interfaces too; the site has its own search box, so they go.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    pass


def _service_class() -> Any:
    from pagefind.service import PagefindService

    class Service(PagefindService):
        """Pagefind's service client, reading each answer as soon as it comes.

        The client in pagefind 1.5 sleeps 0.1 s before reading every answer, which caps
        it at ten pages a second when pages come one by one; this is its reading loop
        without the sleep.
        """

        async def _wait_for_responses(self) -> None:
            stdout = self._backend.stdout
            assert stdout is not None  # the service is started with a pipe
            while True:
                output = await stdout.readuntil(b",")
                response = json.loads(base64.b64decode(output[:-1]))
                if response is None:
                    continue
                message_id = response.get("message_id")
                if message_id is None and (original := response["payload"].get("original_message")):
                    message_id = (json.loads(original) or {}).get("message_id")
                future = self._responses.get(message_id)
                if future is None or future.done():
                    continue
                payload = response["payload"]
                if payload["type"] == "Error":
                    future.set_exception(SearchIndexError(payload.get("message", "Pagefind failed")))
                else:
                    future.set_result(payload)

    return Service


async def _index_from(conn: Any) -> None:
    """The helper process: add the pages that arrive, write the index when asked."""
    from pagefind.index import IndexConfig

    service = await _service_class()().launch()
    try:
        config = IndexConfig(root_selector="[data-pagefind-body]", exclude_selectors=[EXCLUDE_SELECTORS],
                             force_language="en")
        index = await service.create_index(config)
        loop = asyncio.get_running_loop()
        in_flight = asyncio.Semaphore(16)  # enough to keep Pagefind busy; more would only hold pages in memory
        pending: set[asyncio.Future[Any]] = set()
        added = 0

        async def add(url: str, html: str) -> None:
            try:
                await index.add_html_file(content=html, url=url)
            finally:
                in_flight.release()

        while True:
            message = await loop.run_in_executor(None, conn.recv)
            if message[0] == "add":
                await in_flight.acquire()
                task = asyncio.ensure_future(add(message[1], message[2]))
                pending.add(task)
                task.add_done_callback(pending.discard)
                added += 1
                for done in [t for t in pending if t.done()]:
                    done.result()  # raise a failure at once
            elif message[0] == "write":
                await asyncio.gather(*pending)
                await index.write_files(output_path=message[1])
                await _written(Path(message[1]))
                conn.send(("ok", added))
                return
            else:
                return
    finally:
        await service.close()


async def _written(folder: Path, timeout: float = 60) -> None:
    """Wait until Pagefind's last writes into `folder` have landed.

    Pagefind answers "written" once each file is created and its bytes are handed to a
    background writer (tokio's File), not once they are on disk; stopping the service at
    that moment can leave a file empty, such as `pagefind-entry.json`, and then search
    cannot start. Every file it writes has content, so: no empty file, twice in a row.
    """
    def sizes() -> dict[str, int] | None:
        found = {str(p): p.stat().st_size for p in folder.rglob("*") if p.is_file()}
        return found if found and all(found.values()) else None

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = None
    while loop.time() < deadline:
        now = sizes()
        if now is not None and now == last:
            return
        last = now
        await asyncio.sleep(0.05)
    raise SearchIndexError(f"search index files in {folder} were still being written after {timeout:.0f} s")


def _indexer_main(conn: Any) -> None:
    try:
        asyncio.run(_index_from(conn))
    except BaseException as error:  # reported to the build, which fails with it
        with contextlib.suppress(OSError):
            conn.send(("error", f"{type(error).__name__}: {error}"))


class StreamingIndex:
    """A Pagefind index filled page by page, in a helper process, while the site builds."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process that may run threads
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_indexer_main, args=(child,), name="pagefind", daemon=True)
        self._process.start()
        child.close()

    def add(self, url: str, html: str) -> None:
        """Queue one page by its address from the site's root (`/deals/x/`); pages the theme
        leaves out of search (no `data-pagefind-body`) are skipped."""
        if "data-pagefind-body" not in html:
            return
        try:
            self._conn.send(("add", url, html))
        except OSError as error:
            raise SearchIndexError(f"search indexing stopped: {self._failure() or error}") from None

    def write(self, site: str | Path) -> int:
        """Write the index into `site/pagefind/`, replacing any older one; return the number of pages."""
        site = Path(site).resolve()
        staging = site.parent / f".{site.name}-{OUTPUT}-new"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            self._conn.send(("write", str(staging)))
            status, detail = self._conn.recv()
        except (OSError, EOFError) as error:
            status, detail = "error", self._failure() or str(error)
        finally:
            self.close()
        if status != "ok":
            shutil.rmtree(staging, ignore_errors=True)
            raise SearchIndexError(f"search indexing failed: {detail}")
        return _install(staging, site, int(detail))

    def _failure(self) -> str:
        try:
            if self._conn.poll(1):
                status, detail = self._conn.recv()
                return str(detail)
        except (OSError, EOFError):
            pass
        return ""

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(("stop",))
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
        self._conn.close()


def _install(staging: Path, site: Path, pages: int) -> int:
    """Move a freshly written index into `site/pagefind/`, without Pagefind's unused UI files;
    return the number of pages indexed."""
    output = site / OUTPUT
    if not (staging / "pagefind.js").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(f"search indexing wrote no index for {site}")
    try:
        json.loads((staging / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:  # search could not start in the browser: fail the build instead
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(f"search indexing wrote a broken pagefind-entry.json for {site}: {error}") from None
    for name in _UNUSED:
        (staging / name).unlink(missing_ok=True)
    shutil.rmtree(output, ignore_errors=True)
    staging.rename(output)
    return pages


def pagefind_binary() -> str:
    try:
        from pagefind.service import get_executable

        executable = get_executable()
    except (ImportError, FileNotFoundError):
        executable = None
    if executable is None:
        raise SearchIndexError("the Pagefind binary is missing: install the project again (pip install -e .)")
    return str(executable)


def index_site(site: str | Path) -> int:
    """Index every page under `site` into `site/pagefind/`, replacing any older index; return
    the number of pages indexed."""
    site = Path(site).resolve()
    staging = site.parent / f".{site.name}-{OUTPUT}-new"
    shutil.rmtree(staging, ignore_errors=True)
    args = [pagefind_binary(), "--site", str(site), "--output-path", str(staging),
            "--exclude-selectors", EXCLUDE_SELECTORS, "--force-language", "en", "--glob", "**/*.html"]
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0 or not (staging / "pagefind.js").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("search indexing failed: " + " / ".join(detail))
    counted = re.search(r"^\s*Indexed (\d+) pages?\s*$", result.stdout, re.M)  # "Indexed 1 page"
    pages = int(counted[1]) if counted else 0
    return _install(staging, site, pages)
