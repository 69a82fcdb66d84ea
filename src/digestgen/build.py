"""The build, whichever engine turns Markdown into HTML.

`digestgen build` is four plain steps: render the complete docs folder (pages, feed, open data,
schema), let an engine build it (MkDocs with Material, or Zensical, from one config derived from
`mkdocs.yml`), index the built site with Pagefind, and put it in place of the old site in one
move. Every step works in `build/<engine>/`; the site folder changes only when all of them have
passed, so a failed build leaves the last good site where it was.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .catalog import Catalog
from .exports import FEED, entity_feeds, feed_xml, write_open_data
from .pipeline import load_catalog
from .render import make_environment, render_pages
from .schema import schema_texts

SEARCH_BOX_CSS = "assets/stylesheets/search-box.css"
ENGINES = {"mkdocs": "MkDocs and Material for MkDocs", "zensical": "Zensical"}


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class Project:
    """What `mkdocs.yml` says the build needs: its folders and the site's address and name."""

    config_file: Path
    config: dict[str, Any]
    data_dir: Path
    content_dir: Path
    site_dir: Path
    site_url: str
    site_name: str


def read_project(config_file: str | Path = "mkdocs.yml") -> Project:
    path = Path(config_file).resolve()
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BuildError(f"{config_file}: cannot be read: {error}") from None
    base = path.parent
    options = next((entry["digestgen"] for entry in config.get("plugins", [])
                    if isinstance(entry, dict) and "digestgen" in entry), None) or {}
    return Project(path, config, base / options.get("data_dir", "deals"), base / config.get("docs_dir", "docs"),
                   base / config.get("site_dir", "site"), config.get("site_url") or "", config["site_name"])


def downloads(catalog: Catalog, site_url: str, site_name: str) -> dict[str, str]:
    """The files readers download beside the pages: the Atom feeds (the digest's, and each company's,
    molecule's and territory's) and the data files' JSON Schema."""
    files = {FEED: feed_xml(catalog, site_url, site_name), **entity_feeds(catalog, site_url, site_name)}
    files.update({f"schema/{name}": text for name, text in schema_texts().items()})
    return files


def docs_files(catalog: Catalog, content_dir: Path | None, site_url: str, site_name: str,
               engine: str = "mkdocs") -> dict[str, bytes]:
    """Every file of the docs folder by its path: hand-written pages, generated pages, feed, open
    data and schema."""
    files: dict[str, bytes] = {}
    if content_dir is not None and content_dir.is_dir():
        files.update({p.relative_to(content_dir).as_posix(): p.read_bytes()
                      for p in sorted(content_dir.rglob("*")) if p.is_file()})
    intro = files.get("index.md", b"").decode("utf-8")
    pages = render_pages(catalog, make_environment(), home_intro=intro, site_url=site_url, site_name=site_name,
                         engine=engine)
    files.update({uri: text.encode("utf-8") for uri, text in pages.items()})
    files.update({uri: text.encode("utf-8") for uri, text in downloads(catalog, site_url, site_name).items()})
    with tempfile.TemporaryDirectory(prefix="digestgen-data-") as scratch:
        for uri in write_open_data(catalog, site_url, Path(scratch)):
            files[uri] = (Path(scratch) / uri).read_bytes()
    return files


def write_docs(catalog: Catalog, out: Path, content_dir: Path | None, site_url: str, site_name: str,
               engine: str = "mkdocs") -> int:
    """Write the complete docs folder to `out`, replacing it only once all is written; return the
    number of pages."""
    files = docs_files(catalog, content_dir, site_url, site_name, engine)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for uri, data in files.items():
            target = staging / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        replace_folder(out, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sum(uri.endswith(".md") for uri in files)


def sync_docs(files: dict[str, bytes], out: Path, keep: frozenset[str] = frozenset()) -> list[str]:
    """Make the folder `out` hold `files`, writing only the files whose bytes changed (a watching
    engine then rebuilds just those) and removing the others but `keep`; return what changed."""
    changed = []
    for uri, data in files.items():
        target = out / uri
        try:
            if target.read_bytes() == data:
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed.append(uri)
    for path in sorted(out.rglob("*")) if out.is_dir() else ():
        uri = path.relative_to(out).as_posix()
        if path.is_file() and uri not in files and uri not in keep:
            path.unlink()
            changed.append(uri)
    return changed


def engine_config(project: Project, engine: str, docs_dir: Path, site_dir: Path, out: Path,
                  scripts: list[str] | None = None, strict: bool = True, preview: bool = False) -> Path:
    """Write the config `engine` builds `docs_dir` into `site_dir` with: `mkdocs.yml`, with the
    rendered docs, no digestgen plugin (its work is done), and Zensical's own search off.

    A MkDocs preview keeps the plugin, told not to render: `mkdocs serve` builds into a folder of
    its own, and only a plugin can index it for search after each rebuild."""
    config = dict(project.config)
    # relative to the config's folder (Zensical takes nothing else)
    config["docs_dir"] = os.path.relpath(docs_dir, out.parent)
    config["site_dir"] = os.path.relpath(site_dir, out.parent)
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(project.config_file.parent / theme["custom_dir"])
    plugins = [p for p in config.get("plugins", []) if not (p == "digestgen" or
                                                            (isinstance(p, dict) and "digestgen" in p))]
    if engine == "mkdocs" and preview:
        plugins = [*plugins, {"digestgen": {"render": False}}]
    if engine == "zensical":
        theme["variant"] = "classic"  # Material's look; "modern" is Zensical's own
        plugins = [*plugins, {"search": {"enabled": False}}]  # Pagefind indexes the site instead
        # its stylesheet has no rules for Material's search box, which site-search.html draws
        config["extra_css"] = [*config.get("extra_css", []), SEARCH_BOX_CSS]
    config["theme"] = theme
    config["plugins"] = plugins
    config["extra"] = {**(config.get("extra") or {}), "engine": ENGINES[engine]}
    config["strict"] = strict
    if scripts:
        config["extra_javascript"] = [*config.get("extra_javascript", []), *scripts]
    out.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def engine_command(engine: str, config: Path) -> list[str]:
    bin_dir = Path(sys.executable).parent
    if engine == "mkdocs":
        # not --quiet: MkDocs' strict mode counts only the warnings it logs
        return [str(bin_dir / "mkdocs"), "build", "--strict", "--config-file", str(config)]
    return [str(bin_dir / "zensical"), "build", "--strict", "--clean", "--config-file", str(config)]


def render_docs(data_dir: str, docs: Path, content_dir: Path, site_url: str, site_name: str,
                engine: str) -> dict[str, int]:
    """Validate the data and write the docs folder; return the catalog's counts. Raises ContractError."""
    catalog = load_catalog(data_dir)
    write_docs(catalog, docs, content_dir, site_url, site_name, engine)
    return catalog.counts()


def build_site(project: Project, engine: str, work: Path, index: bool = True) -> tuple[Path, dict[str, int]]:
    """Build the site with `engine` in `work` and put it in place of the project's site folder;
    return it and the catalog's counts. Raises ContractError when the data has problems."""
    from .search import SearchIndexError, index_site

    if engine not in ENGINES:
        raise BuildError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    # Zensical wants the docs and the site inside the folder of its config: all three go in `work`.
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    docs, site = work / "docs", work / "site"
    # The docs are rendered in a process of their own, which ends before the engine starts: the
    # catalog and the pages' text do not sit in memory beside the engine (400 MB at 10,000 deals).
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        counts = pool.submit(render_docs, os.path.relpath(project.data_dir), docs, project.content_dir,
                             project.site_url, project.site_name, engine).result()
    shutil.rmtree(site, ignore_errors=True)
    config = engine_config(project, engine, docs, site, work / "config.yml")
    result = subprocess.run(engine_command(engine, config), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0 or not (site / "index.html").is_file():
        raise BuildError(f"{engine} could not build the site:\n{_readable(result.stdout)}")
    if engine == "zensical":
        # Zensical writes its own search index whatever the config says; the site searches Pagefind's.
        (site / "search.json").unlink(missing_ok=True)
    if index:
        try:
            index_site(site)
        except SearchIndexError as error:
            raise BuildError(str(error)) from None
    replace_folder(project.site_dir, site)
    return project.site_dir, counts


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _readable(output: str) -> str:
    """An engine's complaint without colour codes or the Python traceback around its last line."""
    lines = [line for line in _ANSI.sub("", output).strip().splitlines() if not line.startswith("INFO ")]
    if "Traceback (most recent call last):" in lines:
        start = lines.index("Traceback (most recent call last):")
        lines = lines[:start] + lines[-1:]
    return "\n".join(lines)


def replace_folder(final: Path, staging: Path) -> None:
    """Put `staging` where `final` is, so that `final` is never missing or half-written."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
