"""`digestgen check-sources` against a local server: what answers, what does not, where it is cited."""

from __future__ import annotations

import http.server
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, local_web, run


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, body: bool) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/no-head" and not body:
            self.send_response(405)
            self.end_headers()
            return
        status = 404 if self.path == "/gone" else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        if body:
            self.wfile.write(b"<html><title>A page</title></html>")

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)


@pytest.fixture
def server() -> Iterator[str]:
    yield from local_web(_Handler)


def point_sources_at(file: Path, urls: list[str]) -> list[str]:
    """Replace the file's source addresses, in order, by `urls` (repeating the last); return its lines."""
    lines, n = [], 0
    for line in file.read_text(encoding="utf-8").splitlines():
        if line.startswith("  - url: "):
            line = f"  - url: {urls[min(n, len(urls) - 1)]}"
            n += 1
        lines.append(line)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def test_dead_and_slow_sources_are_reported_where_they_are_cited(tmp_path: Path, server: str) -> None:
    shutil.copytree(FIXTURES / "base" / "deals", tmp_path / "deals")
    deal = "deals/2016/amgen-daiichi-sankyo-japan-2016.yaml"
    other = "deals/2017/abbvie-amgen-humira-settlement-2017.yaml"
    lines = point_sources_at(tmp_path / deal, [f"{server}/{name}" for name in ("ok", "gone", "moved", "slow")])
    other_lines = point_sources_at(tmp_path / other, [f"{server}/gone", f"{server}/no-head"])

    result = run([str(BIN / "digestgen"), "check-sources", "deals", "--timeout", "1", "--pause", "0"], cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr

    def line_of(lines: list[str], end: str) -> int:
        return next(i + 1 for i, line in enumerate(lines) if line.endswith(end))

    archive = f"an archived copy may be at https://web.archive.org/web/2/{server}/gone"
    assert result.stderr.splitlines() == [
        f"{deal}:{line_of(lines, '/gone')}: source {server}/gone answers 404; {archive}",
        f"{deal}:{line_of(lines, '/slow')}: source {server}/slow did not answer within 1 s; "
        f"an archived copy may be at https://web.archive.org/web/2/{server}/slow",
        f"{other}:{line_of(other_lines, '/gone')}: source {server}/gone answers 404; {archive}",
    ]  # a redirect, and a server that refuses HEAD but answers GET, pass; /gone is asked once, cited twice
    assert result.stdout == "3 of 5 source addresses answer; 2 do not (3 citations)\n"


def test_every_source_answering_exits_zero(tmp_path: Path, server: str) -> None:
    shutil.copytree(FIXTURES / "base" / "deals", tmp_path / "deals")
    for file in (tmp_path / "deals").rglob("*.yaml"):
        point_sources_at(file, [f"{server}/ok"])
    result = run([str(BIN / "digestgen"), "check-sources", "deals", "--pause", "0"], cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "1 of 1 source addresses answer\n", result.stderr
