"""`digestgen serve` (`make serve`): the live preview, on either engine, with no plugin.

The docs folder is rendered once, the engine's own server watches it (`mkdocs serve --dirty` or
`zensical serve`), and this loop watches what the docs are made from (the data, the hand-written
pages, the theme). After an edit it renders again and writes only the files whose text changed, so
the engine rebuilds just those pages. When the data is broken the docs keep the last good version,
the problems go to the terminal, every page of the preview shows them (theme/assets/javascripts/
digest-status.js reads digestgen-status.json), and the engine's "Documentation built" is held back.
A deleted page, or a change to the theme or config, starts the engine again: a dirty rebuild would
keep the old pages.
"""

from __future__ import annotations

import json
import os
import signal
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


def serve_command(engine: str, config: Path, address: str) -> list[str]:
    bin_dir = Path(sys.executable).parent
    if engine == "mkdocs":
        return [str(bin_dir / "mkdocs"), "serve", "--dirty", "--config-file", str(config), "--dev-addr", address]
    return [str(bin_dir / "zensical"), "serve", "--config-file", str(config), "--dev-addr", address]


class Preview:
    def __init__(self, project: Project, work: Path, address: str, engine: str = "mkdocs"):
        self.project = project
        self.engine = engine
        self.docs = work / "docs"
        self.site = work / "site"
        self.address = address
        self.config = work / "config.yml"
        self.theme = project.config_file.parent / str((project.config.get("theme") or {}).get("custom_dir") or "theme")
        self.watched = [project.data_dir, project.content_dir, self.theme, project.config_file]
        self.server: subprocess.Popen[str] | None = None
        self.indexer: threading.Thread | None = None
        self.problems: list[str] = []

    def render(self) -> bool:
        """Render the docs again; on broken data keep them and show the problems. Return whether it rendered."""
        data_dir = os.path.relpath(self.project.data_dir)  # problems read deals/x.yaml:3: ..., as elsewhere
        try:
            catalog = load_catalog(data_dir)
        except ContractError as error:
            problems = [str(problem) for problem in error.problems]
            print("the deal data has problems; the preview keeps the last good version until they are fixed:\n"
                  + "\n".join(problems), file=sys.stderr, flush=True)
            print(f"the preview shows the last good version: {len(problems)} problem{'s' if len(problems) != 1 else ''}"
                  " to fix (above)", file=sys.stderr, flush=True)
            self.problems = problems
            self._status(problems)
            return False
        self.problems = []
        files = docs_files(catalog, self.project.content_dir, self.project.site_url, self.project.site_name,
                           self.engine)
        files[STATUS_FILE] = json.dumps({"problems": []}).encode()
        changed = sync_docs(files, self.docs)
        if changed:
            print(f"digestgen: {len(changed)} file{'s' if len(changed) != 1 else ''} of the docs changed",
                  flush=True)
        self.deleted = any(uri not in files for uri in changed)
        return True

    def _status(self, problems: list[str]) -> None:
        self.docs.mkdir(parents=True, exist_ok=True)
        (self.docs / STATUS_FILE).write_text(json.dumps({"problems": problems}), encoding="utf-8")

    def start_engine(self) -> None:
        # A preview is not strict: MkDocs would count its own warning about dirty builds and stop.
        engine_config(self.project, self.engine, self.docs, self.site, self.config, scripts=[STATUS_SCRIPT],
                      strict=False, preview=True)
        self.server = subprocess.Popen(serve_command(self.engine, self.config, self.address), text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        threading.Thread(target=self._relay, args=(self.server,), daemon=True).start()

    def _relay(self, server: subprocess.Popen[str]) -> None:
        """Pass the engine's log on, but not a claim that the site was built while the data is broken."""
        assert server.stdout is not None
        for line in server.stdout:
            if not (self.problems and "Documentation built" in line):
                print(line, end="", flush=True)

    def stop_engine(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
            self.server = None

    def index_later(self) -> None:
        """Refresh the search index once the engine has written the site (search follows the edit).
        Under MkDocs the plugin does it, in the folder `mkdocs serve` builds into."""
        if self.engine == "mkdocs" or (self.indexer is not None and self.indexer.is_alive()):
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
        # Stopped by a signal (a terminal closed, a test ending), stop the engine's server too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
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
                rendered = self.render()
                look = fingerprint([self.theme, self.project.config_file])
                if look != theme or (rendered and self.deleted):  # a dirty rebuild would keep old pages
                    theme = look
                    self.stop_engine()
                    self.start_engine()
                if rendered:
                    self.index_later()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop_engine()
        return 0
