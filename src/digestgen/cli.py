"""The `digestgen` command: validate the data, render its pages to a folder, or make test data."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Sequence

from .catalog import Catalog, territory_codes
from .pipeline import check_data, load_catalog
from .problems import ContractError, Problem
from .render import make_environment, render_pages
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


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    records, problems = check_data(args.data_dir, keep_data=False)
    if problems:
        _report(problems)
        return 1
    kinds = Counter(record.kind for record in records)
    print("ok: " + ", ".join(f"{kinds[kind]} {plural}" for kind, plural in
                             (("deal", "deals"), ("company", "companies"), ("molecule", "molecules"),
                              ("product", "products")))
          + f", {len(territory_codes(records))} territories")
    return 0


def read_home_intro(content_dir: Path) -> str:
    index = content_dir / "index.md"
    return index.read_text(encoding="utf-8") if index.is_file() else ""


def write_pages(pages: dict[str, str], out: Path, content_dir: Path | None) -> None:
    """Write pages (and the hand-written content) to `out`, replacing it only once all is written."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        if content_dir is not None and content_dir.is_dir():
            shutil.copytree(content_dir, staging, dirs_exist_ok=True)
        for uri, markdown in pages.items():
            target = staging / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def cmd_render(args: argparse.Namespace) -> int:
    catalog = _load(args.data_dir)
    if catalog is None:
        return 1
    content = Path(args.content) if args.content else None
    intro = read_home_intro(content) if content else ""
    pages = render_pages(catalog, make_environment(), home_intro=intro)
    write_pages(pages, Path(args.out), content)
    print(f"wrote {len(pages)} pages to {args.out} ({counts_line(catalog)})")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"digestgen synth: {out} is not an empty folder; choose a new one", file=sys.stderr)
        return 1
    synthesize(out, args.deals, args.seed)
    print(f"wrote {args.deals} synthetic deals to {out} (seed {args.seed})")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(Path(args.out)):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digestgen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check the data and print one path:line: message per problem")
    validate.add_argument("data_dir", nargs="?", default="deals")
    validate.set_defaults(run=cmd_validate)
    render = sub.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("data_dir", nargs="?", default="deals")
    render.add_argument("--out", required=True, help="folder to write (replaced as a whole)")
    render.add_argument("--content", default="content",
                        help="hand-written pages to copy alongside (default: content; '' for none)")
    render.set_defaults(run=cmd_render)
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
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        print(f"digestgen: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
