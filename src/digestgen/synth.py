"""Synthetic data folders of any size, for benchmarks: `digestgen synth --deals N --seed S`.

The data is made up but shaped like the real thing: companies (about N/20) with
aliases, the 40 most-copied biologics as molecules, products (about N/5) with
approvals, and deals with two or three parties, territories, a summary of a few
sentences, a quote and two or three sources. The same N and seed give the same
files, byte for byte. Every file passes `digestgen validate`.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

from .contract import DEAL_TYPES, PARTY_ROLES, PRODUCT_STATUSES

# (id, name, reference brand): real biologics, so search and pages look like the real site.
MOLECULES = (
    ("adalimumab", "Adalimumab", "Humira"), ("trastuzumab", "Trastuzumab", "Herceptin"),
    ("bevacizumab", "Bevacizumab", "Avastin"), ("rituximab", "Rituximab", "Rituxan"),
    ("infliximab", "Infliximab", "Remicade"), ("etanercept", "Etanercept", "Enbrel"),
    ("ranibizumab", "Ranibizumab", "Lucentis"), ("aflibercept", "Aflibercept", "Eylea"),
    ("denosumab", "Denosumab", "Prolia"), ("ustekinumab", "Ustekinumab", "Stelara"),
    ("eculizumab", "Eculizumab", "Soliris"), ("natalizumab", "Natalizumab", "Tysabri"),
    ("tocilizumab", "Tocilizumab", "Actemra"), ("omalizumab", "Omalizumab", "Xolair"),
    ("pertuzumab", "Pertuzumab", "Perjeta"), ("golimumab", "Golimumab", "Simponi"),
    ("pembrolizumab", "Pembrolizumab", "Keytruda"), ("nivolumab", "Nivolumab", "Opdivo"),
    ("pegfilgrastim", "Pegfilgrastim", "Neulasta"), ("filgrastim", "Filgrastim", "Neupogen"),
    ("insulin-glargine", "Insulin glargine", "Lantus"), ("insulin-aspart", "Insulin aspart", "NovoLog"),
    ("insulin-lispro", "Insulin lispro", "Humalog"), ("epoetin-alfa", "Epoetin alfa", "Epogen"),
    ("teriparatide", "Teriparatide", "Forteo"), ("cetuximab", "Cetuximab", "Erbitux"),
    ("ocrelizumab", "Ocrelizumab", "Ocrevus"), ("secukinumab", "Secukinumab", "Cosentyx"),
    ("vedolizumab", "Vedolizumab", "Entyvio"), ("certolizumab-pegol", "Certolizumab pegol", "Cimzia"),
    ("abatacept", "Abatacept", "Orencia"), ("palivizumab", "Palivizumab", "Synagis"),
    ("ixekizumab", "Ixekizumab", "Taltz"), ("daratumumab", "Daratumumab", "Darzalex"),
    ("atezolizumab", "Atezolizumab", "Tecentriq"), ("ipilimumab", "Ipilimumab", "Yervoy"),
    ("panitumumab", "Panitumumab", "Vectibix"), ("belimumab", "Belimumab", "Benlysta"),
    ("romiplostim", "Romiplostim", "Nplate"), ("follitropin-alfa", "Follitropin alfa", "Gonal-f"),
)
COUNTRIES = ("US", "KR", "IN", "CN", "JP", "DE", "CH", "GB", "IS", "AR", "BR", "IL", "CA", "FR", "NL", "SG")
TERRITORIES = (
    "US", "US", "EU", "EU", "JP", "CN", "KR", "IN", "BR", "CA", "AU", "MX", "GB", "CH", "SA", "AE", "ZA",
    "TR", "RU", "LATAM", "MENA", "APAC", "WORLDWIDE", "EUROPE", "NORTH-AMERICA",
)
FIRST_YEAR, LAST_YEAR = 2005, 2025
_SYLLABLES = ("al", "bio", "cel", "dor", "gen", "ka", "lum", "mab", "nor", "ori", "pra", "qui", "ros",
              "sam", "tek", "vio", "xen", "zy", "fer", "han", "mi", "ru", "tra", "vel")
_SUFFIXES = ("Biologics", "Pharma", "Biotech", "Therapeutics", "Biosciences", "Life Sciences", "Healthcare")
_WORDS = ("biosimilar", "portfolio", "market", "launch", "patients", "access", "partnership", "regulatory",
          "approval", "manufacturing", "commercial", "development", "pipeline", "agreement", "supply")


class Synthesizer:
    def __init__(self, deals: int, seed: int):
        self.n = deals
        self.rng = random.Random(seed)

    def word_id(self, taken: set[str], parts: int) -> str:
        while True:
            word = "".join(self.rng.choice(_SYLLABLES) for _ in range(parts))
            if word not in taken:
                taken.add(word)
                return word

    def sentence(self, words: int) -> str:
        picked = [self.rng.choice(_WORDS) for _ in range(words)]
        return " ".join(picked).capitalize() + "."

    def companies(self) -> dict[str, dict[str, Any]]:
        taken: set[str] = set()
        out: dict[str, dict[str, Any]] = {}
        for _ in range(max(10, self.n // 20)):
            stem = self.word_id(taken, self.rng.choice((2, 3)))
            suffix = self.rng.choice(_SUFFIXES)
            name = f"{stem.capitalize()} {suffix}"
            entry: dict[str, Any] = {"name": name, "country": self.rng.choice(COUNTRIES)}
            entry["aliases"] = [f"{name} Co., Ltd."] + ([f"{stem.upper()}"] if self.rng.random() < 0.4 else [])
            if self.rng.random() < 0.7:
                entry["website"] = f"https://www.{stem}.example.com"
            entry["description"] = f"{name} develops and markets biosimilars. " + self.sentence(10)
            out[f"{stem}-{suffix.split()[0].lower()}"] = entry
        return out

    def molecules(self, companies: list[str]) -> dict[str, dict[str, Any]]:
        return {mid: {"name": name, "reference_brands": [brand], "originator": self.rng.choice(companies),
                      "modality": "monoclonal antibody"} for mid, name, brand in MOLECULES}

    def products(self, companies: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        taken: set[str] = set()
        brands: set[str] = set()  # one brand, one product: the validator reports a shared one
        for _ in range(max(5, self.n // 5)):
            while True:
                letters = "ABCDEFGHJKMNPSTXZ"
                code = f"{self.rng.choice(letters)}{self.rng.choice(letters)} {self.rng.randint(10, 9999)}"
                if code not in taken:
                    taken.add(code)
                    break
            molecule = self.rng.choice(MOLECULES)
            product: dict[str, Any] = {"name": code, "molecule": molecule[0], "developer": self.rng.choice(companies)}
            brand = None
            if self.rng.random() < 0.5:
                brand = self.word_id(brands, 3).capitalize()
                product["brands"] = [brand]
            product["status"] = self.rng.choice(PRODUCT_STATUSES)
            if product["status"] in ("approved", "launched"):
                product["approvals"] = [
                    {"region": region, "date": self.date(), "agency": agency, **({"name": brand} if brand else {})}
                    for region, agency in self.rng.sample((("US", "FDA"), ("EU", "European Commission"),
                                                           ("JP", "PMDA"), ("KR", "MFDS")), self.rng.randint(1, 3))]
            product["notes"] = f"A biosimilar of {molecule[2]} ({molecule[1].lower()}). " + self.sentence(12)
            out[code.lower().replace(" ", "-")] = product
        return out

    def date(self) -> dt.date:
        start = dt.date(FIRST_YEAR, 1, 1).toordinal()
        return dt.date.fromordinal(self.rng.randint(start, dt.date(LAST_YEAR, 12, 31).toordinal()))

    def deal(self, companies: dict[str, dict[str, Any]], products: dict[str, dict[str, Any]],
             index: int) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        ids = rng.sample(sorted(companies), rng.choice((2, 2, 2, 3)))
        roles = rng.sample(PARTY_ROLES, len(ids))
        announced = self.date()
        names = [companies[c]["name"] for c in ids]
        deal_type = rng.choice(DEAL_TYPES)
        territories = sorted(set(rng.sample(TERRITORIES, rng.randint(1, 4))))
        deal: dict[str, Any] = {
            "title": f"{names[0]} and {names[1]} sign a biosimilar {deal_type} deal",
            "announced": announced,
            "type": deal_type,
            "status": rng.choice(("announced", "active", "completed")),
            "exclusive": rng.random() < 0.6,
            "parties": [{"company": c, "role": r,
                         "responsibilities": [self.sentence(5)[:-1].lower() for _ in range(rng.randint(1, 2))]}
                        for c, r in zip(ids, roles, strict=True)],
            "territories": territories,
        }
        picked = rng.sample(sorted(products), rng.randint(0, 3))
        if picked:
            deal["products"] = picked
        else:
            deal["molecules"] = sorted({m[0] for m in rng.sample(MOLECULES, rng.randint(1, 3))})
        deal["product_count"] = len(picked or deal["molecules"]) + rng.choice((0, 0, 1, 2))
        if rng.random() < 0.3:
            upfront = rng.randint(1, 200) * 1_000_000
            deal["financials"] = {"disclosed": True, "upfront": {"amount": upfront, "currency": "USD"},
                                  "total": {"amount": upfront * rng.randint(2, 8), "currency": "USD"}}
        else:
            deal["financials"] = {"disclosed": False}
        deal["rights"] = [self.sentence(12) for _ in range(rng.randint(1, 3))]
        deal["summary"] = (f"{names[0]} and {names[1]} agreed a {deal_type} deal for biosimilars in "
                           f"{', '.join(territories)}. " + " ".join(self.sentence(rng.randint(12, 20))
                                                                   for _ in range(rng.randint(2, 4))))
        deal["quotes"] = [{"text": " ".join(self.sentence(10) for _ in range(2)), "person": "A. Spokesperson",
                           "position": "Chief Executive Officer", "company": ids[0]}]
        slug = f"{ids[0]}-{ids[1]}-{announced.year}-{index}"
        deal["sources"] = [{"url": f"https://news.example.org/{announced.year}/{slug}-{k}",
                            "title": f"{names[0]} and {names[1]} announce agreement ({k})",
                            "publisher": rng.choice(("Example Wire", "Example Pharma News", "Example Times")),
                            "date": announced} for k in range(1, rng.randint(2, 3) + 1)]
        deal["events"] = self.events(deal, slug)
        if not deal["events"]:
            del deal["events"]
        return slug, deal

    def events(self, deal: dict[str, Any], slug: str) -> list[dict[str, Any]]:
        """What happened next: a closing for completed acquisitions, launches and ends for some others."""
        rng, announced, last = self.rng, deal["announced"], dt.date(LAST_YEAR, 12, 31)
        kinds: list[str] = []
        if deal["type"] == "acquisition" and deal["status"] == "completed":
            kinds.append("closed")
        if deal["status"] != "announced" and rng.random() < 0.3:
            kinds.append("launched")
        if deal["status"] == "active" and rng.random() < 0.1:
            kinds.append("terminated")
            deal["status"] = "terminated"
        events, day = [], announced
        for kind in kinds:
            day = min(day + dt.timedelta(days=rng.randint(30, 720)), last)
            events.append({"date": day, "kind": kind, "summary": self.sentence(rng.randint(12, 20)),
                           "sources": [{"url": f"https://news.example.org/{day.year}/{slug}-{kind}",
                                        "publisher": "Example Wire", "date": day}]})
        return events

    def write(self, out: Path) -> None:
        companies = self.companies()
        company_ids = sorted(companies)
        molecules = self.molecules(company_ids)
        products = self.products(company_ids)
        _dump(out / "companies.yaml", companies)
        _dump(out / "molecules.yaml", molecules)
        for pid, product in products.items():
            _dump(out / "products" / f"{pid}.yaml", product)
        for index in range(1, self.n + 1):
            slug, deal = self.deal(companies, products, index)
            _dump(out / str(deal["announced"].year) / f"{slug}.yaml", deal)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the contract rejects anchors and aliases


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text("# Synthetic data for benchmarks (digestgen synth).\n" + text, encoding="utf-8")


def synthesize(out: Path, deals: int, seed: int) -> None:
    """Write a data folder of `deals` synthetic deals into `out`, which must be empty or absent."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; synth writes only into a new or empty folder")
    Synthesizer(deals, seed).write(out)
