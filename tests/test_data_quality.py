"""The shipped data keeps the digest's promises: sourced, unique, used, in the past, broad enough."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from digestgen.catalog import Catalog
from digestgen.contract import REGIONS
from digestgen.pipeline import load_catalog

EUROPEAN = {"EU", "EEA", "EUROPE", "GB", "DE", "FR", "IT", "ES", "NL", "CH", "PL", "SE", "IS", "NO", "AT", "BE"}
LATIN_AMERICAN = {"LATAM", "BR", "MX", "AR", "CO", "CL", "PE"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "deals")


def test_every_deal_cites_an_http_source(catalog: Catalog) -> None:
    for deal in catalog.deals.values():
        schemes = {urlsplit(source.url).scheme for source in deal.sources}
        assert schemes & {"http", "https"}, f"{deal.path} has no http(s) source"


def test_no_two_deals_describe_the_same_announcement(catalog: Catalog) -> None:
    seen: dict[tuple[frozenset[str], dt.date], str] = {}
    for deal in catalog.deals.values():
        key = (frozenset(deal.companies), deal.announced)
        assert key not in seen, f"{deal.path} and {seen[key]} have the same parties and date"
        seen[key] = deal.path


def test_every_company_molecule_and_product_is_used(catalog: Catalog) -> None:
    used_companies = {c for d in catalog.deals.values() for c in d.companies}
    used_companies |= {q.company for d in catalog.deals.values() for q in d.quotes if q.company}
    used_companies |= {p.developer for p in catalog.products.values()}
    used_companies |= {m.originator for m in catalog.molecules.values() if m.originator}
    assert set(catalog.companies) - used_companies == set()
    used_molecules = set(catalog.deals_by_molecule) | {p.molecule for p in catalog.products.values()}
    assert set(catalog.molecules) - used_molecules == set()
    assert set(catalog.products) - set(catalog.deals_by_product) == set()


def test_no_deal_is_announced_in_the_future(catalog: Catalog) -> None:
    today = dt.date.today()
    assert [d.path for d in catalog.deals.values() if d.announced > today] == []


def test_the_founding_deal_is_carried_faithfully(catalog: Catalog) -> None:
    deal = catalog.deals["amgen-daiichi-sankyo-japan-2016"]
    assert deal.announced == dt.date(2016, 7, 13)
    assert deal.type == "licensing" and deal.exclusive is True
    assert [(p.company, p.role) for p in deal.parties] == [("amgen", "licensor"), ("daiichi-sankyo", "licensee")]
    assert deal.territories == ("JP",)
    assert deal.product_count == 9
    assert {m.id for m in catalog.molecules_of_deal(deal)} == {"adalimumab", "trastuzumab", "bevacizumab"}
    assert deal.financials is not None and deal.financials.disclosed is False
    assert any("co-promot" in r for r in deal.rights)
    assert deal.quotes[0].person == "Scott Foraker"


def test_coverage_meets_the_digest_targets(catalog: Catalog) -> None:
    deals = list(catalog.deals.values())
    years = Counter(d.announced.year for d in deals)
    territories = {code for d in deals for code in d.territories}
    assert len(deals) >= 50
    assert min(years) <= 2011 and max(years) >= 2024 and all(2010 <= y <= 2025 for y in years)
    assert len({d.type for d in deals}) >= 7
    assert len(catalog.deals_by_molecule) >= 15
    assert len(territories) >= 12
    assert {"JP", "US", "CN", "KR", "IN", "WORLDWIDE"} <= territories
    assert territories & EUROPEAN and territories & LATIN_AMERICAN
    assert len(catalog.products) >= 30
    assert len(catalog.companies) >= 40
    assert set(REGIONS) >= {t for t in territories if len(t) > 2}
