"""The search index is installed only once Pagefind's files have landed on disk, and whole."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from digestgen.search import SearchIndexError, _install, _written


def run(coroutine: Any) -> Any:
    """Run a coroutine on a loop of its own (Playwright's fixtures keep a loop running in this thread)."""
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


def test_the_wait_lasts_until_a_file_created_empty_has_its_bytes(tmp_path: Path) -> None:
    # Pagefind creates each file, answers, and writes the bytes a moment later in the background.
    (tmp_path / "pagefind.js").write_text("export {}")
    entry = tmp_path / "pagefind-entry.json"
    entry.write_text("")
    filled_at: list[float] = []

    def fill() -> None:
        time.sleep(0.3)
        entry.write_text('{"version": "1.5.2", "languages": {}}')
        filled_at.append(time.monotonic())

    writer = threading.Thread(target=fill)
    writer.start()
    run(_written(tmp_path))
    done_at = time.monotonic()
    writer.join()
    assert filled_at and done_at >= filled_at[0]


def test_an_index_that_never_fills_fails_instead_of_hanging(tmp_path: Path) -> None:
    (tmp_path / "pagefind-entry.json").write_text("")
    with pytest.raises(SearchIndexError, match="still being written"):
        run(_written(tmp_path, timeout=0.3))


def test_a_broken_entry_file_is_not_installed(tmp_path: Path) -> None:
    site, staging = tmp_path / "site", tmp_path / "staging"
    site.mkdir()
    staging.mkdir()
    (staging / "pagefind.js").write_text("export {}")
    (staging / "pagefind-entry.json").write_text('{"version": ')
    with pytest.raises(SearchIndexError, match="broken pagefind-entry.json"):
        _install(staging, site, 1)
    assert not (site / "pagefind").exists() and not staging.exists()
