"""The MkDocs plugin: the only module that knows MkDocs.

It runs the same chain as the command line and hands each page to MkDocs as an
in-memory file, so `mkdocs build` and `mkdocs serve` just work and nothing is
written into the docs folder.
"""

from __future__ import annotations

import os

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .catalog import Catalog
from .pipeline import load_catalog
from .problems import ContractError
from .render import make_environment, render_pages
from .search import SearchIndexError, index_site


class DigestConfig(Config):
    data_dir = c.Type(str, default="deals")
    templates_dir = c.Optional(c.Type(str))
    search = c.Type(bool, default=True)  # index the built site with Pagefind


class DigestPlugin(BasePlugin[DigestConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = os.path.dirname(config.config_file_path or ".")
        # Relative to the working folder, so problems read `deals/x.yaml:3: ...` as in the CLI.
        self.data_dir = os.path.relpath(os.path.join(base, self.config.data_dir))
        self.template_dirs = [os.path.join(base, self.config.templates_dir)] if self.config.templates_dir else []
        self.catalog: Catalog | None = None
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Runs before MkDocs cleans site/, so bad data leaves the last good site in place.
        self.catalog = None
        try:
            self.catalog = load_catalog(self.data_dir)
        except ContractError as error:
            raise PluginError("the deal data has problems:\n" + str(error)) from None

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
        for uri, markdown in pages.items():
            files.append(File.generated(config, uri, content=markdown))
        return files

    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.search:
            return
        try:
            index_site(config.site_dir)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(self.data_dir)
        for folder in self.template_dirs:
            server.watch(folder)
        return server
