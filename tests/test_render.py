"""Rendered Markdown of the base fixture, compared with the golden pages in tests/expected/."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, ROOT
from digestgen.pipeline import load_catalog
from digestgen.render import escape_markdown, escape_text, render_pages

EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    catalog = load_catalog(FIXTURES / "base" / "deals", today=dt.date(2026, 11, 29))
    return render_pages(catalog, home_intro="# Home\n\nIntro text.\n")


def test_rendered_pages_match_the_golden_files(pages: dict[str, str], update_golden: bool) -> None:
    if update_golden:
        for uri, markdown in pages.items():
            target = EXPECTED / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
    expected = {p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
                for p in EXPECTED.rglob("*.md")}
    assert sorted(pages) == sorted(expected), "pages added or removed: run pytest --update-golden and review"
    for uri in pages:
        assert pages[uri] == expected[uri], f"{uri} differs from tests/expected/{uri}"


def test_every_entity_gets_a_page_at_its_url(pages: dict[str, str]) -> None:
    assert {
        "index.md", "deals/index.md", "companies/index.md", "molecules/index.md", "products/index.md",
        "territories/index.md", "open-data.md", "landscape.md", "feeds.md", "terms.md",
        "deals/amgen-daiichi-sankyo-japan-2016.md", "deals/abbvie-amgen-humira-settlement-2017.md",
        "companies/amgen.md", "companies/daiichi-sankyo.md", "companies/abbvie.md", "companies/roche.md",
        "molecules/adalimumab.md", "molecules/trastuzumab.md", "molecules/bevacizumab.md",
        "products/abp-501.md", "territories/jp.md", "territories/us.md", "territories/worldwide.md",
    } == set(pages)


def test_two_renders_in_different_processes_give_identical_pages(tmp_path: Path) -> None:
    # Different hash seeds change set and dict-of-set iteration order; the pages must not change.
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([str(BIN / "digestgen"), "render", str(ROOT / "deals"), "--out", str(out), "--content", ""],
                       check=True, env=env, capture_output=True)
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.md")})
    assert len(outputs[0]) > 100
    assert outputs[0] == outputs[1]


def test_raw_html_in_text_fields_is_shown_as_text() -> None:
    assert escape_markdown('Hello <script>alert(1)</script> <img src=x onerror="alert(2)">') == \
        'Hello &lt;script>alert(1)&lt;/script> &lt;img src=x onerror="alert(2)">'
    assert escape_text("A | B <b>*bold*</b> [link](x)") == \
        r"A \| B &lt;b>\*bold\*&lt;/b> \[link\](x)"


def test_a_deal_page_places_the_deal_in_each_party_and_molecule_timeline() -> None:
    from digestgen.render import render_pages

    catalog = load_catalog(Path(__file__).resolve().parent.parent / "deals")
    pages = render_pages(catalog)
    busiest = max(catalog.deals_by_company, key=lambda c: len(catalog.deals_by_company[c]))
    listed = catalog.deals_by_company[busiest]  # newest first
    name = catalog.companies[busiest].name
    for position, deal in enumerate(listed):
        related = pages[f"deals/{deal.id}.md"].split("## Related deals", 1)[1].split("\n## ", 1)[0]
        row = next(line for line in related.splitlines() if line.startswith(f"| [{name}](../companies/{busiest}.md) |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[1] == f"{position + 1} of {len(listed)}"
        assert cells[2] == "none" if position == 0 else f"({listed[position - 1].id}.md)" in cells[2]
        assert cells[3] == "none" if position == len(listed) - 1 else f"({listed[position + 1].id}.md)" in cells[3]
