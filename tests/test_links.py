"""A real link checker (LinkChecker, with its anchor check) over the built shipped site, served over
HTTP under the project-pages sub-path as GitHub Pages would serve it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from conftest import BIN, serve_site

# The test server answers with a `LinkChecker` header, which lets LinkChecker go faster than its
# default ten requests a second; AnchorCheck also checks that every #anchor exists on its page.
CONFIG = "[checking]\nmaxrequestspersecond=500\n[AnchorCheck]\n"


def linkcheck(site_dir: Path) -> tuple[int, list[str]]:
    """Run LinkChecker over a served site folder; return its exit code and its CSV rows (header first)."""
    with tempfile.NamedTemporaryFile("w", suffix=".ini", dir="/tmp") as config, serve_site(site_dir) as url:
        config.write(CONFIG)
        config.flush()
        Path(config.name).chmod(0o644)  # run as root, LinkChecker drops to `nobody`
        result = subprocess.run([str(BIN / "linkchecker"), "-f", config.name, "--no-status", "-o", "csv", url],
                                capture_output=True, text=True, timeout=900)
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
    code, rows = linkcheck(project / "site")
    assert code == 0 and len(rows) == 1, "\n".join(rows[:40])  # the CSV header, and no row of a problem
