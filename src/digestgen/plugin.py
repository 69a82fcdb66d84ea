"""The MkDocs plugin: the only module that knows MkDocs, and a thin one.

`make site` does not need it: `digestgen build` renders the docs folder and hands it to MkDocs
(or Zensical) as plain files. The plugin is there for `mkdocs serve` (`make serve`) and a bare
`mkdocs build`: it gives MkDocs the same files, from the same function, as in-memory files.

State, all set afresh in `on_config` for each build, except `last_good`: under `mkdocs serve` the
plugin object lives from one rebuild to the next, and the last data that validated is kept there,
so that broken data shows its problems on top of the last good pages instead of stopping the preview.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .build import ENGINES, docs_files
from .catalog import Catalog
from .pipeline import load_catalog
from .problems import ContractError
from .search import SearchIndexError, index_site
from .serve import STATUS_FILE, STATUS_SCRIPT


class DigestConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' classes are untyped
    data_dir = c.Type(str, default="deals")
    search = c.Type(bool, default=True)  # index the built site with Pagefind
    render = c.Type(bool, default=True)  # False: the docs are rendered already (digestgen serve); index only


class DigestPlugin(BasePlugin[DigestConfig]):  # type: ignore[no-untyped-call]
    last_good: Catalog | None = None  # under serve: the last data that validated

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object alive from one `mkdocs serve` rebuild to the next.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.serving = getattr(self, "serving", False)
        self.problems: list[str] = []
        self.indexer: threading.Thread | None = getattr(self, "indexer", None)
        base = os.path.dirname(config.config_file_path or ".")
        # Relative to the working folder, so problems read `deals/x.yaml:3: ...` as in the CLI.
        self.data_dir = os.path.relpath(os.path.join(base, self.config.data_dir))
        config.extra["engine"] = ENGINES["mkdocs"]
        if self.serving and self.config.render and STATUS_SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(STATUS_SCRIPT)  # each page asks whether the data is broken now
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.config.render:
            return files
        try:
            catalog = load_catalog(self.data_dir)
            self.last_good = catalog
        except ContractError as error:
            if not self.serving or self.last_good is None:
                raise PluginError("the deal data has problems:\n" + str(error)) from None
            self.problems = [str(problem) for problem in error.problems]
            _serve_log.error("the deal data has problems; the preview keeps the last good version "
                             "until they are fixed:\n" + str(error))
            catalog = self.last_good
        written = {file.src_uri for file in files}
        for uri, data in docs_files(catalog, Path(config.docs_dir), config.site_url or "", config.site_name).items():
            if uri in written and uri != "index.md":
                continue  # a hand-written page, as MkDocs found it
            old = files.get_file_from_path(uri)
            if old is not None:
                files.remove(old)  # the home page: its introduction, with the digest's news under it
            files.append(File.generated(config, uri, content=data))
        return files

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.serving and self.config.render:
            Path(config.site_dir, STATUS_FILE).write_text(json.dumps({"problems": self.problems}), encoding="utf-8")
        if not self.config.search:
            return
        if not self.serving:
            try:
                index_site(config.site_dir)
            except SearchIndexError as error:
                raise PluginError(str(error)) from None
            return
        # The preview shows the edit at once; its search index follows a moment later.
        if self.indexer is not None:
            self.indexer.join()
        self.indexer = threading.Thread(target=_index_quietly, args=(config.site_dir,), daemon=True)
        self.indexer.start()

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        if self.config.render:  # else digestgen serve watches the data and renders the docs MkDocs watches
            server.watch(self.data_dir)
        return server


log = logging.getLogger(f"mkdocs.plugins.{__name__}")
# Problems shown during `mkdocs serve` go around MkDocs' logger, whose strict mode would count them
# and stop the build that keeps the last good pages on show.
_serve_log = logging.getLogger("digestgen.serve")
_serve_log.propagate = False
if not _serve_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    _serve_log.addHandler(_handler)


def _index_quietly(site_dir: str) -> None:
    try:
        pages = index_site(site_dir)
        log.info(f"digestgen: search index refreshed ({pages} pages)")
    except SearchIndexError as error:
        log.error(f"digestgen: {error}")
