"""`digestgen serve --engine zensical`: the live preview on an engine that runs no plugin.

The docs folder is rendered once, `zensical serve` watches it, and this loop watches what the docs
are made from (the data, the hand-written pages, the theme). After an edit it renders again and
writes only the files whose text changed, so Zensical rebuilds just those pages. When the data is
broken the docs keep the last good version, the problems go to the terminal, and every page of the
preview shows them (theme/assets/javascripts/digest-status.js reads digestgen-status.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from .build import Project, docs_files, engine_config, sync_docs
from .pipeline import load_catalog
from .problems import ContractError
from .search import SearchIndexError, index_site

STATUS_FILE = "digestgen-status.json"
STATUS_SCRIPT = "assets/javascripts/digest-status.js"


def fingerprint(places: list[Path]) -> tuple[float, int]:
    """Return the newest modification time and the number of files under `places`."""
    newest, count = 0.0, 0
    for place in places:
        paths = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()] if place.is_dir() else []
        for path in paths:
            newest = max(newest, path.stat().st_mtime)
            count += 1
    return newest, count


class Preview:
    def __init__(self, project: Project, work: Path, address: str):
        self.project = project
        self.docs = work / "docs"
        self.site = work / "site"
        self.address = address
        self.config = work / "config.yml"
        self.theme = project.config_file.parent / str((project.config.get("theme") or {}).get("custom_dir") or "theme")
        self.watched = [project.data_dir, project.content_dir, self.theme, project.config_file]
        self.server: subprocess.Popen[bytes] | None = None
        self.indexer: threading.Thread | None = None

    def render(self) -> bool:
        """Render the docs again; on broken data keep them and show the problems. Return whether it rendered."""
        data_dir = os.path.relpath(self.project.data_dir)  # problems read deals/x.yaml:3: ..., as elsewhere
        try:
            catalog = load_catalog(data_dir)
        except ContractError as error:
            problems = [str(problem) for problem in error.problems]
            print("the deal data has problems; the preview keeps the last good version until they are fixed:\n"
                  + "\n".join(problems), file=sys.stderr, flush=True)
            self._status(problems)
            return False
        files = docs_files(catalog, self.project.content_dir, self.project.site_url, self.project.site_name)
        files[STATUS_FILE] = json.dumps({"problems": []}).encode()
        changed = sync_docs(files, self.docs)
        if changed:
            print(f"digestgen: {len(changed)} file{'s' if len(changed) != 1 else ''} of the docs changed",
                  flush=True)
        return True

    def _status(self, problems: list[str]) -> None:
        self.docs.mkdir(parents=True, exist_ok=True)
        (self.docs / STATUS_FILE).write_text(json.dumps({"problems": problems}), encoding="utf-8")

    def start_engine(self) -> None:
        engine_config(self.project, "zensical", self.docs, self.site, self.config, scripts=[STATUS_SCRIPT])
        zensical = str(Path(sys.executable).parent / "zensical")
        self.server = subprocess.Popen([zensical, "serve", "--config-file", str(self.config),
                                        "--dev-addr", self.address])

    def stop_engine(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
            self.server = None

    def index_later(self) -> None:
        """Refresh the search index once the engine has written the site (search follows the edit)."""
        if self.indexer is not None and self.indexer.is_alive():
            return

        def run() -> None:
            time.sleep(1.0)
            try:
                index_site(self.site)
            except (SearchIndexError, OSError) as error:
                print(f"digestgen: the preview's search index was not refreshed: {error}", file=sys.stderr)

        self.indexer = threading.Thread(target=run, daemon=True)
        self.indexer.start()

    def run(self, poll: float = 0.25) -> int:
        if not self.render() and not (self.docs / "index.md").is_file():
            return 1  # nothing good to show yet
        self.start_engine()
        self.index_later()
        theme = fingerprint([self.theme, self.project.config_file])
        seen = fingerprint(self.watched)
        try:
            while self.server is not None and self.server.poll() is None:
                time.sleep(poll)
                now = fingerprint(self.watched)
                if now == seen:
                    continue
                seen = now
                if self.render():
                    self.index_later()
                look = fingerprint([self.theme, self.project.config_file])
                if look != theme:  # Zensical reads the theme at start: start it again
                    theme = look
                    self.stop_engine()
                    self.start_engine()
                    self.index_later()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop_engine()
        return 0
