"""The MkDocs plugin: the only module that knows MkDocs.

It runs the same chain as the command line and hands each page to MkDocs as an
in-memory file, so `mkdocs build` and `mkdocs serve` just work and nothing is
written into the docs folder.

Under `mkdocs serve --dirty` (what `make serve` runs) the pages are written to a
scratch folder instead, each only when its text changed, so MkDocs rebuilds just
the pages an edit touched; the search index is then refreshed in the background.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from .catalog import Catalog
from .exports import FEED, feed_xml, write_open_data
from .pipeline import load_catalog
from .problems import ContractError
from .render import TEMPLATES, make_environment, render_pages
from .schema import schema_texts
from .search import SearchIndexError, StreamingIndex, index_site


class DigestConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' classes are untyped
    data_dir = c.Type(str, default="deals")
    templates_dir = c.Optional(c.Type(str))
    search = c.Type(bool, default=True)  # index the built site with Pagefind


class DigestPlugin(BasePlugin[DigestConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        # Defaults for a build driven without on_startup (MkDocs' build() called from Python).
        self.serving = False
        self.atomic = False
        self.pages_dir: Path | None = None
        self.generated: dict[str, File] = {}
        self.look: tuple[float, int] | None = None
        self.indexer: threading.Thread | None = None
        self.final_site: str | None = None
        self.built = False
        self.last_good: Catalog | None = None
        self.stream: StreamingIndex | None = None
        self.catalog: Catalog | None = None
        self.problems: tuple[str, ...] = ()  # under serve: what is wrong with the data now
        self.scratch: tempfile.TemporaryDirectory[str] | None = None  # the open data files, until copied

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this plugin alive from one `mkdocs serve` rebuild to the next.
        self.serving = command == "serve"
        # `mkdocs build` writes into a staging folder that replaces site/ only once the build has
        # passed, strict checks included: a failed build never leaves a half-written site.
        self.atomic = command in ("build", "gh-deploy") and not dirty
        self.final_site = None
        self.built = False
        self.pages_dir = Path(tempfile.mkdtemp(prefix="digestgen-pages-")) if self.serving and dirty else None
        if self.pages_dir is not None:
            # MkDocs warns that a dirty build may leave navigation stale. Here it cannot: the
            # navigation lists sections only, deleted pages are removed, and a change to the
            # theme rebuilds everything. Dropping the warning keeps `strict: true` usable.
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarningFilter())
        if self.serving:
            logging.getLogger("mkdocs.commands.build").addFilter(_BrokenBuildFilter(self))
        self.generated = {}
        self.look = None
        self.indexer = None

    def on_shutdown(self) -> None:
        if self.final_site is not None:
            staging, final = Path(self.final_site).with_name(f".{Path(self.final_site).name}.building"), \
                Path(self.final_site)
            if self.built:
                _replace_folder(final, staging)
            else:
                shutil.rmtree(staging, ignore_errors=True)
        if self.indexer is not None:
            self.indexer.join()
        if self.pages_dir is not None:
            shutil.rmtree(self.pages_dir, ignore_errors=True)
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.atomic:
            self.final_site = config.site_dir
            config.site_dir = str(Path(config.site_dir).with_name(f".{Path(config.site_dir).name}.building"))
        base = os.path.dirname(config.config_file_path or ".")
        # Relative to the working folder, so problems read `deals/x.yaml:3: ...` as in the CLI.
        self.data_dir = os.path.relpath(os.path.join(base, self.config.data_dir))
        self.template_dirs = [os.path.join(base, self.config.templates_dir)] if self.config.templates_dir else []
        self.catalog = None
        if self.serving and STATUS_SCRIPT not in config.extra_javascript:
            # Every page of the preview asks, when it loads, whether the data is broken now: a dirty
            # rebuild does not write again the pages an edit did not touch.
            config.extra_javascript.append(STATUS_SCRIPT)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Runs before MkDocs cleans site/, so bad data leaves the last good site in place.
        self.catalog = None
        self.problems = ()
        try:
            self.catalog = load_catalog(self.data_dir)
        except ContractError as error:
            last_good = self.last_good
            if not self.serving or last_good is None:
                raise PluginError("the deal data has problems:\n" + str(error)) from None
            # Under `mkdocs serve` a failed build would stall every request until the data is
            # fixed; instead the problems are shown, in the log and on every page, and the last
            # good data is served.
            self.problems = tuple(str(problem) for problem in error.problems)
            _serve_log.error("the deal data has problems; the preview keeps the last good version "
                             "until they are fixed:\n" + str(error))
            self.catalog = last_good
            return
        if self.serving:
            self.last_good = self.catalog
        else:
            # One build, one catalog: keep the collector from walking it again and again
            # while MkDocs builds thousands of pages (not under serve, where builds repeat).
            gc.freeze()
            if self.config.search:
                # Pages go to Pagefind as they are written, and it indexes on the other core.
                self._close_stream()
                try:
                    self.stream = StreamingIndex()
                except (OSError, SearchIndexError) as error:
                    raise PluginError(f"search indexing could not start: {error}") from None
        if self.pages_dir is not None:
            look = _fingerprint([config.theme.custom_dir, TEMPLATES, *self.template_dirs, config.config_file_path])
            if self.look is not None and look != self.look:
                # The theme or a template changed: every page must be built again, not only edited ones.
                log.info("digestgen: the theme or templates changed; rebuilding every page")
                clean_directory(config.site_dir)
            self.look = look

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.catalog is not None
        home = files.get_file_from_path("index.md")
        intro = home.content_string if home is not None else ""
        if home is not None:
            files.remove(home)
        pages = render_pages(self.catalog, make_environment(self.template_dirs), home_intro=intro)
        clashes = sorted(uri for uri in pages if uri != "index.md" and files.get_file_from_path(uri) is not None)
        if clashes:
            raise PluginError("hand-written pages clash with generated ones: " + ", ".join(clashes))
        pages_dir = self.pages_dir
        if pages_dir is None:
            self._add_downloads(files, config)
            for uri, markdown in pages.items():
                files.append(File.generated(config, uri, content=markdown))
            return files
        for uri in sorted(set(self.generated) - set(pages)):  # a deal was deleted or renamed
            gone = self.generated.pop(uri)
            for path in (gone.abs_src_path, gone.abs_dest_path):
                if path and os.path.isfile(path):
                    os.remove(path)
        self._add_downloads(files, config)
        for uri, markdown in pages.items():
            _write_if_changed(pages_dir / uri, markdown)
            file = File(uri, src_dir=str(pages_dir), dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
            self.generated[uri] = file
            files.append(file)
        return files

    def _add_downloads(self, files: Files, config: MkDocsConfig) -> None:
        """Publish the JSON Schema of the data files, the Atom feed and the open data files."""
        for name, text in schema_texts().items():
            files.append(File.generated(config, f"schema/{name}", content=text))
        assert self.catalog is not None
        site_url = config.site_url or ""
        files.append(File.generated(config, FEED, content=feed_xml(self.catalog, site_url, config.site_name)))
        if self.scratch is None:
            self.scratch = tempfile.TemporaryDirectory(prefix="digestgen-data-")
        folder = Path(self.scratch.name)
        for path in write_open_data(self.catalog, site_url, folder):
            files.append(File(path, src_dir=str(folder), dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.stream is not None:
            try:
                self.stream.add("/" + page.url, output)
            except SearchIndexError as error:
                raise PluginError(str(error)) from None
        if page.file.generated_by == "digestgen" or page.file.src_uri in self.generated:
            # Written out: MkDocs keeps every page's Markdown and HTML to the end of the build,
            # and at 10,000 deals that is the largest part of its memory. Nothing reads them again.
            page.markdown = None
            page.content = None
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.serving:
            status = Path(config.site_dir) / STATUS_FILE
            status.write_text(json.dumps({"problems": list(self.problems)}), encoding="utf-8")
            if self.problems:
                _serve_log.error(f"the preview shows the last good version: {len(self.problems)} "
                                 f"problem{'s' if len(self.problems) != 1 else ''} to fix (above)")
        self.catalog = None
        self.built = True  # unless MkDocs' strict check, which comes next, reports an error
        if not self.config.search:
            return
        stream, self.stream = self.stream, None
        if stream is not None:
            # Pagefind's process peaks while it writes the index, and this one would sit idle at its
            # own high-water mark meanwhile: hand the freed heap back first (285 MB at 10,000 deals).
            _return_free_memory()
            try:
                stream.write(config.site_dir)
            except SearchIndexError as error:
                self.built = False
                raise PluginError(str(error)) from None
            return
        if self.serving:
            # The preview shows the edit at once; the search index follows a moment later.
            if self.indexer is not None:
                self.indexer.join()
            self.indexer = threading.Thread(target=_index_quietly, args=(config.site_dir,), daemon=True)
            self.indexer.start()
            return
        # A build driven without on_startup (MkDocs' build() called from Python) streamed nothing.
        try:
            index_site(config.site_dir)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def on_build_error(self, *, error: Exception) -> None:
        self.built = False
        self._close_stream()

    def _close_stream(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            stream.close()

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(self.data_dir)
        for folder in self.template_dirs:
            server.watch(folder)
        return server


log = logging.getLogger(f"mkdocs.plugins.{__name__}")
# Problems shown during `mkdocs serve` go around MkDocs' logger, whose strict mode would
# count them and abort the build that keeps the last good site on show.
_serve_log = logging.getLogger("digestgen.serve")
_serve_log.propagate = False
if not _serve_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    _serve_log.addHandler(_handler)


class _DirtyWarningFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class _BrokenBuildFilter(logging.Filter):
    """Under serve, MkDocs says "Documentation built" even when the data was broken and the last
    good version is on show; the plugin says what happened instead."""

    def __init__(self, plugin: DigestPlugin):
        super().__init__()
        self.plugin = plugin

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.plugin.problems and record.getMessage().startswith("Documentation built"))


# Under serve: where the preview says what is wrong with the data, and the script, added to every page
# of the preview, that shows it on top of the page.
STATUS_FILE = "digestgen-status.json"
STATUS_SCRIPT = "assets/javascripts/digest-status.js"


def _replace_folder(final: Path, staging: Path) -> None:
    """Put `staging` where `final` is, so that `final` is never missing or half-written."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc only; elsewhere nothing happens).

    Python frees the pages' Markdown and HTML as they are written, but the allocator keeps
    the memory for reuse, so the process stays at its high-water mark.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _write_if_changed(path: Path, text: str) -> None:
    """Write `text` to `path` unless it already holds it, so its time tells MkDocs what changed."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _fingerprint(places: list[str | Path | None]) -> tuple[float, int]:
    """Return the newest modification time and the number of files under `places`."""
    newest, count = 0.0, 0
    for place in places:
        if not place or not os.path.exists(place):
            continue
        paths = [Path(place)] if os.path.isfile(place) else [p for p in Path(place).rglob("*") if p.is_file()]
        for path in paths:
            newest = max(newest, path.stat().st_mtime)
            count += 1
    return newest, count


def _index_quietly(site_dir: str) -> None:
    try:
        pages = index_site(site_dir)
        log.info(f"digestgen: search index refreshed ({pages} pages)")
    except SearchIndexError as error:
        log.error(f"digestgen: {error}")
