"""A real link checker (LinkChecker, with its anchor check) over the built shipped site, served over
HTTP under the project-pages sub-path as GitHub Pages would serve it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from conftest import BIN, SUB_PATH, serve_site

# The test server answers with a `LinkChecker` header, which lets LinkChecker go faster than its
# default ten requests a second; AnchorCheck also checks that every #anchor exists on its page.
CONFIG = "[checking]\nmaxrequestspersecond=500\n[AnchorCheck]\n"
# LinkChecker run as root drops to `nobody`, who cannot read a virtual environment in a folder only
# root may enter (/root, any `mktemp -d`): its AnchorCheck plugin then never loads and no anchor is
# checked. It checks our own site on localhost, so it keeps the user it was started as.
RUN = ("import sys, linkcheck.command.linkchecker as command; command.drop_privileges = lambda: None; "
       "sys.argv[0] = 'linkchecker'; sys.exit(command.linkchecker())")
CANARY = "anchor-checker-canary"


def linkcheck(site_dir: Path, canary: bool = False) -> tuple[int, list[str]]:
    """Run LinkChecker over a served site folder; return its exit code and its CSV rows (header first).

    With `canary`, a page served beside the site links to an anchor the site lacks, so the anchor
    check must report exactly that one problem: a check that silently checks no anchor fails.
    """
    with tempfile.TemporaryDirectory() as extra, tempfile.NamedTemporaryFile("w", suffix=".ini") as config:
        (Path(extra) / "index.html").write_text(f'<a href="..{SUB_PATH}#{CANARY}">canary</a>')
        config.write(CONFIG)
        config.flush()
        with serve_site(site_dir, {"canary": Path(extra)} if canary else {}) as url:
            urls = [url, url.replace(SUB_PATH, "/canary/")] if canary else [url]
            result = subprocess.run([str(BIN / "python"), "-c", RUN, "-f", config.name, "--no-status", "-o", "csv",
                                     *urls], capture_output=True, text=True, timeout=900)
    return result.returncode, [line for line in result.stdout.splitlines() if line and not line.startswith("#")]


def test_the_checker_catches_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="a/#gone">x</a> <a href="b/">y</a> <a href="a/#here">z</a>')
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">Here</h2>')
    code, rows = linkcheck(tmp_path)
    assert code == 1
    problems = "\n".join(rows[1:])
    assert "Anchor `gone'" in problems and "404" in problems
    assert "#here" not in problems


def test_no_broken_internal_link_or_anchor_in_the_shipped_site(shipped_build: tuple[Path, object]) -> None:
    project, build = shipped_build
    code, rows = linkcheck(project / "site", canary=True)
    # the CSV header, and one problem: the canary's missing anchor, which proves anchors were checked
    problems = rows[1:]
    assert code == 1 and len(problems) == 1 and CANARY in problems[0], "\n".join(rows[:40])
