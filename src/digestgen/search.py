"""Full-text search for the built site, with Pagefind.

Pagefind indexes the built HTML into many small files; the reader's browser fetches
only the parts of the index a query needs (a few hundred KB at 10,000 deals,
against the 12 MB that Material's one-file index would weigh). This module knows
Pagefind, not MkDocs: the plugin calls `index_site` once the HTML is written.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path

OUTPUT = "pagefind"  # folder of the index, inside the site
ROOT_SELECTOR = "article"  # index the page's article, not the header, navigation or footer
# Pagefind writes its ready-made UIs too; the site has its own search box, so they go.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class IndexStats:
    pages: int
    bytes: int


async def _index(site: Path, output: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(root_selector=ROOT_SELECTOR, exclude_selectors=[".headerlink"], force_language="en",
                         output_path=str(output))
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site))
        return int(result.get("page_count", 0))


def index_site(site: str | Path) -> IndexStats:
    """Index every page under `site` into `site/pagefind/`, replacing any older index."""
    site = Path(site).resolve()
    output = site / OUTPUT
    staging = site / f".{OUTPUT}-new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        pages = asyncio.run(_index(site, staging))
    except Exception as error:  # the service reports failures as plain exceptions
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(f"search indexing failed: {error}") from error
    if not (staging / "pagefind.js").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(f"search indexing wrote no index for {site}")
    for name in _UNUSED:
        (staging / name).unlink(missing_ok=True)
    shutil.rmtree(output, ignore_errors=True)
    staging.rename(output)
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    return IndexStats(pages, size)
