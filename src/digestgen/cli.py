"""The `digestgen` command: validate the data, render its pages to a folder, or make test data."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from . import sources
from .catalog import Catalog, territory_codes
from .contract import DEAL_TYPES
from .pipeline import check_data, load_catalog
from .problems import ContractError, Problem
from .scaffold import ScaffoldError, new_company, new_deal, new_molecule, new_product
from .schema import write_schemas
from .synth import synthesize


def counts_line(catalog: Catalog) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in catalog.counts().items())


def _load(data_dir: str) -> Catalog | None:
    try:
        return load_catalog(data_dir)
    except ContractError as error:
        _report(error.problems)
        return None


def _report(problems: Sequence[Problem], wrote: bool = True) -> None:
    """Print each problem, then their count (and, for a command that writes, that it wrote nothing)."""
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found" + ("; nothing was written." if wrote else "."),
          file=sys.stderr)


def _data_folder(file: Path) -> Path | None:
    """Return the data folder a data file sits in: the nearest folder above it with companies.yaml."""
    for folder in file.resolve().parents:
        if (folder / "companies.yaml").is_file():
            return folder
    return None


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths or ["deals"]]
    files = [p for p in paths if p.is_file()]
    if files and len(files) != len(paths):
        print("digestgen validate: give one data folder, or data files", file=sys.stderr)
        return 2
    if not files:  # a data folder
        records, problems = check_data(paths[0], keep_data=False)
    else:  # data files, checked with their references resolved against the whole folder they are in
        folders = {_data_folder(file) for file in files}
        if None in folders or len(folders) != 1:
            print("digestgen validate: the files must be in one data folder (the one with companies.yaml)",
                  file=sys.stderr)
            return 2
        folder = folders.pop()
        assert folder is not None
        named = {file.resolve() for file in files}
        records, problems = check_data(os.path.relpath(folder), keep_data=False)
        problems = [p for p in problems if Path(p.path).resolve() in named]
        if not problems:
            print(f"ok: {len(files)} {'file' if len(files) == 1 else 'files'} checked "
                  f"against {os.path.relpath(folder)}")
            return 0
    if problems:
        _report(problems, wrote=False)
        return 1
    kinds = Counter(record.kind for record in records)
    print("ok: " + ", ".join(f"{kinds[kind]} {plural}" for kind, plural in
                             (("deal", "deals"), ("company", "companies"), ("molecule", "molecules"),
                              ("product", "products")))
          + f", {len(territory_codes(records))} territories")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    catalog = _load(args.data_dir)
    if catalog is None:
        return 1
    from .build import read_project, write_docs

    project = read_project(args.config) if Path(args.config).is_file() else None
    content = Path(args.content) if args.content else None
    pages = write_docs(catalog, Path(args.out), content, project.site_url if project else "",
                       project.site_name if project else "Biosimilar Deal Digest")
    print(f"wrote {pages} pages, the feed, the open data and the schema "
          f"to {args.out} ({counts_line(catalog)})")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build_site, read_project

    try:
        project = read_project(args.config)
        site, counts = build_site(project, args.engine, Path(args.work or f"build/{args.engine}"),
                                  index=not args.no_index)
    except ContractError as error:
        _report(error.problems)
        return 1
    except BuildError as error:
        print(f"digestgen build: {error}\nThe site was left as it was.", file=sys.stderr)
        return 1
    print(f"built {os.path.relpath(site)} with {args.engine} ("
          + ", ".join(f"{count} {kind}" for kind, count in counts.items()) + ")")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .build import BuildError, read_project
    from .serve import Preview

    try:
        project = read_project(args.config)
    except BuildError as error:
        print(f"digestgen serve: {error}", file=sys.stderr)
        return 1
    return Preview(project, Path(args.work or f"build/preview-{args.engine}"), args.dev_addr, args.engine).run()


def cmd_index(args: argparse.Namespace) -> int:
    from .search import SearchIndexError, index_site

    try:
        pages = index_site(args.site_dir)
    except SearchIndexError as error:
        print(f"digestgen index: {error}", file=sys.stderr)
        return 1
    print(f"indexed {pages} pages of {args.site_dir} into {args.site_dir}/pagefind")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"digestgen synth: {out} is not an empty folder; choose a new one", file=sys.stderr)
        return 1
    synthesize(out, args.deals, args.seed)
    print(f"wrote {args.deals} synthetic deals to {out} (seed {args.seed})")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    data_dir = Path(args.data)
    try:
        if args.kind == "deal":
            written = new_deal(data_dir, title=args.title, announced=args.announced, type=args.type,
                               parties=args.party, territories=args.territory, source=args.source,
                               summary=args.summary, id=args.id, products=args.product, molecules=args.molecule,
                               exclusive=args.exclusive, source_title=args.source_title,
                               source_publisher=args.source_publisher, source_date=args.source_date,
                               upfront=args.upfront, milestones=args.milestones, total=args.total,
                               undisclosed=args.undisclosed, excluded=args.exclude)
        elif args.kind == "product":
            written = new_product(data_dir, name=args.name, molecule=args.molecule, developer=args.developer,
                                  id=args.id, force=args.force)
        elif args.kind == "company":
            written = new_company(data_dir, id=args.id, name=args.name, country=args.country, force=args.force)
        else:
            written = new_molecule(data_dir, id=args.id, name=args.name, reference_brands=args.reference_brand,
                                   force=args.force)
    except ScaffoldError as error:
        print(f"digestgen new {args.kind}: {error}; nothing was written.", file=sys.stderr)
        return 1
    print(f"wrote {written.path}")
    if written.todo:
        print(f"still to write (marked in the file): {', '.join(written.todo)}; then run: digestgen validate")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from .draft import draft_deal  # the page reader is needed only here

    try:
        written, found, facts = draft_deal(Path(args.data), args.source, announced=args.announced, type=args.type,
                                           id=args.id, url=args.url, timeout=args.timeout, force=args.force)
    except ScaffoldError as error:
        print(f"digestgen draft: {error}; nothing was written.", file=sys.stderr)
        return 1
    print(f"wrote {written.path}")
    for what, names in (("companies", [e.id for e in found.companies]), ("products", [e.id for e in found.products]),
                        ("molecules", [e.id for e in found.molecules]), ("territories", found.territories),
                        *([("left out", found.excluded)] if found.excluded else [])):
        print(f"  {what}: {', '.join(names) if names else '(none found)'}")
    print(f"still to write: {', '.join(written.todo)}; confirm each line marked '# draft:'; "
          f"then run: digestgen validate {written.path}")
    return 0


def cmd_check_sources(args: argparse.Namespace) -> int:
    records, problems = check_data(args.data_dir)
    if problems:
        _report(problems, wrote=False)
        return 1
    cited = list(sources.citations(records))
    answers = sources.check(cited, timeout=args.timeout, pause=args.pause)
    lines = sources.report(cited, answers)
    for line in lines:
        print(line, file=sys.stderr)
    failed = sum(not a.ok for a in answers)
    print(f"{len(answers) - failed} of {len(answers)} source addresses answer"
          + (f"; {failed} do not ({len(lines)} citations)" if failed else ""))
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(Path(args.out)):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digestgen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check the data and print one path:line: message per problem")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="a data folder (default: deals), or data files to check against their folder")
    validate.set_defaults(run=cmd_validate)
    render = sub.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("data_dir", nargs="?", default="deals")
    render.add_argument("--out", required=True, help="folder to write (replaced as a whole)")
    render.add_argument("--content", default="content",
                        help="hand-written pages to copy alongside (default: content; '' for none)")
    render.add_argument("--config", default="mkdocs.yml", help="the site's address and name come from it")
    render.set_defaults(run=cmd_render)
    build = sub.add_parser("build", help="build the site with an engine, index it, and swap it in whole")
    build.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                       help="what turns the Markdown into HTML (default: mkdocs, with Material)")
    build.add_argument("--config", default="mkdocs.yml", help="the site's config (default: mkdocs.yml)")
    build.add_argument("--work", metavar="DIR", help="where docs and site are built (default: build/ENGINE)")
    build.add_argument("--no-index", action="store_true", help="leave the search index out")
    build.set_defaults(run=cmd_build)
    serve = sub.add_parser("serve", help="live preview: render again on every edit of the data, pages or theme")
    serve.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs")
    serve.add_argument("--config", default="mkdocs.yml", help="the site's config (default: mkdocs.yml)")
    serve.add_argument("--dev-addr", "-a", default="127.0.0.1:8000", metavar="IP:PORT")
    serve.add_argument("--work", metavar="DIR", help="the preview's folder (default: build/preview-ENGINE)")
    serve.set_defaults(run=cmd_serve)
    index = sub.add_parser("index", help="index a built site for search (Pagefind), whichever engine built it")
    index.add_argument("site_dir", metavar="SITE_DIR")
    index.set_defaults(run=cmd_index)
    new = sub.add_parser("new", help="start a deal, product, company or molecule file from the essentials")
    kinds = new.add_subparsers(dest="kind", required=True)
    deal = kinds.add_parser("deal", help="a new deal file in deals/<year>/")
    deal.add_argument("--title", required=True, help="one line naming the parties and what they agreed")
    deal.add_argument("--announced", required=True, metavar="YYYY-MM-DD")
    deal.add_argument("--type", required=True, help="one of: " + ", ".join(DEAL_TYPES))
    deal.add_argument("--party", action="append", required=True, metavar="COMPANY:ROLE",
                      help="a company id and its role, e.g. amgen:licensor (repeat for each party)")
    deal.add_argument("--territory", action="append", required=True, metavar="CODE",
                      help="ISO country code or region, e.g. JP or EU (repeat for each)")
    deal.add_argument("--exclude", action="append", metavar="CODE",
                      help="a country the region given with --territory leaves out, e.g. CN (repeat for each)")
    deal.add_argument("--source", required=True, metavar="URL", help="the announcement or report")
    deal.add_argument("--summary", help="a few sentences in the digest's own words (else marked in the file)")
    deal.add_argument("--id", help="file name without .yaml (default: the parties, product or molecule, and year)")
    deal.add_argument("--product", action="append", metavar="ID", help="a product the deal names (repeatable)")
    deal.add_argument("--molecule", action="append", metavar="ID",
                      help="a molecule the deal names without naming its product (repeatable)")
    deal.add_argument("--exclusive", action=argparse.BooleanOptionalAction, default=None,
                      help="the source says the rights are (or are not, --no-exclusive) exclusive")
    deal.add_argument("--source-title", metavar="TEXT", help="the source's headline, exactly as published")
    deal.add_argument("--source-publisher", metavar="TEXT", help="who published the source")
    deal.add_argument("--source-date", metavar="YYYY-MM-DD", help="the source's publication date")
    for term in ("upfront", "milestones", "total"):
        deal.add_argument(f"--{term}", metavar="AMOUNT", help=f"{term} as stated, e.g. '33M USD' or '483400000 USD'")
    deal.add_argument("--undisclosed", action="store_true", help="the source says the terms were not disclosed")
    product = kinds.add_parser("product", help="a new product file in deals/products/")
    product.add_argument("--name", required=True, help="development code or brand, e.g. ABP 501")
    product.add_argument("--molecule", required=True, help="molecule id, e.g. adalimumab")
    product.add_argument("--developer", required=True, help="company id")
    product.add_argument("--id", help="file name without .yaml (default: from the name)")
    product.add_argument("--force", action="store_true", help="add it although a product goes by a name like it")
    company = kinds.add_parser("company", help="a new entry in deals/companies.yaml, in the order of the ids")
    company.add_argument("--id", required=True)
    company.add_argument("--name", required=True)
    company.add_argument("--country", help="ISO 3166-1 alpha-2 code of the headquarters")
    company.add_argument("--force", action="store_true", help="add it although a company goes by a name like it")
    molecule = kinds.add_parser("molecule", help="a new entry in deals/molecules.yaml, in the order of the ids")
    molecule.add_argument("--id", required=True, help="the INN as an id, e.g. insulin-glargine")
    molecule.add_argument("--name", required=True)
    molecule.add_argument("--reference-brand", action="append", required=True, metavar="BRAND")
    molecule.add_argument("--force", action="store_true", help="add it although a molecule goes by a name like it")
    for parser_ in (deal, product, company, molecule):
        parser_.add_argument("--data", default="deals", help="the data folder (default: deals)")
    new.set_defaults(run=cmd_new)
    draft = sub.add_parser("draft", help="start a deal file from a press release's address or a saved page")
    draft.add_argument("source", metavar="URL|FILE", help="the press release: its address, or a saved HTML page")
    draft.add_argument("--announced", metavar="YYYY-MM-DD", help="the announcement's date (default: the page's)")
    draft.add_argument("--type", choices=DEAL_TYPES, metavar="TYPE",
                       help="the deal's type (default: guessed from the text): " + ", ".join(DEAL_TYPES))
    draft.add_argument("--id", help="file name without .yaml (default: the parties, product or molecule, and year)")
    draft.add_argument("--url", metavar="URL", help="the page's address, for a saved page that does not give it")
    draft.add_argument("--timeout", type=float, default=10, metavar="SECONDS", help="to read the page (default: 10)")
    draft.add_argument("--force", action="store_true", help="write it although a deal already cites the page")
    draft.add_argument("--data", default="deals", help="the data folder (default: deals)")
    draft.set_defaults(run=cmd_draft)
    check = sub.add_parser("check-sources", help="ask every source address whether it still answers")
    check.add_argument("data_dir", nargs="?", default="deals")
    check.add_argument("--timeout", type=float, default=10, metavar="SECONDS", help="per request (default: 10)")
    check.add_argument("--pause", type=float, default=1.0, metavar="SECONDS",
                       help="between two requests to one host (default: 1)")
    check.set_defaults(run=cmd_check_sources)
    schema = sub.add_parser("schema", help="write the JSON Schema of the data files (for editors' completion)")
    schema.add_argument("--out", default="schema", help="folder to write (default: schema)")
    schema.set_defaults(run=cmd_schema)
    synth = sub.add_parser("synth", help="write a synthetic data folder of N deals, for benchmarks")
    synth.add_argument("--deals", type=int, required=True, metavar="N")
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--out", required=True, help="a new or empty folder")
    synth.set_defaults(run=cmd_synth)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        print(f"digestgen: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
