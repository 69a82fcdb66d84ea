"""Full-text search for the built site, with Pagefind.

Pagefind indexes the built HTML into many small files; the reader's browser fetches
only the parts of the index a query needs (a few hundred KB at 10,000 deals,
against the 12 MB that Material's one-file index would weigh). This module knows
Pagefind, not MkDocs: the plugin calls `index_site` once the HTML is written. Only
what the theme marks `data-pagefind-body` (the article of each page that is not
excluded from search) is indexed.

It runs the Pagefind binary that the `pagefind[bin]` package ships, on the whole
folder: that indexes on every core. Pagefind's Python API was measured three times
slower here, page by page (its client waits 0.1 s before reading each answer).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

OUTPUT = "pagefind"  # folder of the index, inside the site
EXCLUDE_SELECTORS = ".headerlink"  # the ¶ of every heading
# Pagefind writes its ready-made interfaces too; the site has its own search box, so they go.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class IndexStats:
    pages: int
    bytes: int


def pagefind_binary() -> str:
    try:
        from pagefind.service import get_executable

        executable = get_executable()
    except (ImportError, FileNotFoundError):
        executable = None
    if executable is None:
        raise SearchIndexError("the Pagefind binary is missing: install the project again (pip install -e .)")
    return str(executable)


def index_site(site: str | Path) -> IndexStats:
    """Index every page under `site` into `site/pagefind/`, replacing any older index."""
    site = Path(site).resolve()
    output = site / OUTPUT
    staging = site.parent / f".{site.name}-{OUTPUT}-new"
    shutil.rmtree(staging, ignore_errors=True)
    args = [pagefind_binary(), "--site", str(site), "--output-path", str(staging), "--exclude-selectors", EXCLUDE_SELECTORS, "--force-language", "en", "--glob", "**/*.html"]
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0 or not (staging / "pagefind.js").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("search indexing failed: " + " / ".join(detail))
    for name in _UNUSED:
        (staging / name).unlink(missing_ok=True)
    shutil.rmtree(output, ignore_errors=True)
    staging.rename(output)
    pages = next((int(line.split()[1]) for line in result.stdout.splitlines()
                  if line.strip().startswith("Indexed") and line.strip().endswith(" pages")), 0)
    return IndexStats(pages, sum(f.stat().st_size for f in output.rglob("*") if f.is_file()))
