"""The `digestgen` command: validate the data, or render its pages to a folder."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from .catalog import Catalog
from .pipeline import load_catalog
from .problems import ContractError
from .render import make_environment, render_pages


def counts_line(catalog: Catalog) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in catalog.counts().items())


def _load(data_dir: str) -> Catalog | None:
    try:
        return load_catalog(data_dir)
    except ContractError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return None


def cmd_validate(args: argparse.Namespace) -> int:
    catalog = _load(args.data_dir)
    if catalog is None:
        return 1
    print(f"ok: {counts_line(catalog)}")
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
