"""Benchmark digestgen at 100, 1,000 and 10,000 synthetic deals: `make bench`.

For each size it prints the time and peak memory (the process and its children) of
`digestgen validate`, `digestgen render` and the full build (`digestgen build`, what `make site`
runs) on each engine, MkDocs with Material and Zensical, side by side; the same pages built by a
bare MkDocs + Material configuration (the theme's floor); page and site sizes; what a reader's
first search costs in headless Chromium; and, at 1,000 deals, how long an edit takes to show in
the preview (`make serve`) on each engine. It checks the targets of the
scale issue and writes everything to benchmarks/results/ as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
MB = 1024 * 1024


@dataclass
class Run:
    seconds: float
    peak_mb: float


def measure(args: list[str], cwd: Path, quiet: bool = True) -> Run:
    """Run a command; return its wall time and the peak of its process tree's resident memory."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE if quiet else None,
                            stderr=subprocess.PIPE, text=True)
    peak = 0
    watched = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            rss = watched.memory_info().rss + sum(c.memory_info().rss for c in watched.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    _, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(args)}\n{err[-3000:]}")
    return Run(round(seconds, 3), round(peak / MB, 1))


def write_configs(work: Path, data: Path, rendered: Path) -> tuple[Path, Path, Path]:
    """Write the full configuration (the project's, on synthetic data) and the two bare ones.

    Both bare ones build the rendered Markdown as plain files with the same theme
    settings and no digestgen plugin. `bare.yml` leaves `plugins` out, so MkDocs runs
    its default, the theme's search plugin: what a plain Material site costs, and the
    floor our build (which indexes with Pagefind instead) is judged against.
    `bare-nosearch.yml` runs no plugin at all, the lowest floor there is.
    """
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    full = dict(config, site_dir=str(work / "site"))
    full["plugins"] = [{"digestgen": {"data_dir": str(data)}} if isinstance(p, dict) and "digestgen" in p else p
                       for p in config["plugins"]]
    bare = {k: v for k, v in config.items() if k != "plugins"}
    bare.update(docs_dir=str(rendered), site_dir=str(work / "bare-site"))
    nosearch = dict(bare, site_dir=str(work / "bare-nosearch-site"), plugins=[])
    for name, content in (("mkdocs.yml", full), ("bare.yml", bare), ("bare-nosearch.yml", nosearch)):
        (work / name).write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return work / "mkdocs.yml", work / "bare.yml", work / "bare-nosearch.yml"


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def deal_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "deals").glob("*/index.html") if p.parent.name != "years")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Gzip(_Quiet):
    """Serves text compressed, as GitHub Pages does (Pagefind's own files are compressed already)."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in self.TEXT or not path.is_file():
            return super().send_head()
        if self.path.endswith("/") is False and Path(self.translate_path(self.path)).is_dir():
            return super().send_head()  # the redirect to the folder's address
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, compress: bool = False) -> tuple[http.server.ThreadingHTTPServer, str, Path]:
    root = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    (root / "digest").symlink_to(site, target_is_directory=True)
    handler = _Gzip if compress else _Quiet
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/digest/", root


def search_queries(data: Path) -> dict[str, str]:
    """Pick what a reader would type: a company, its alias, a molecule, a brand, a product code, a country."""
    companies = yaml.safe_load((data / "companies.yaml").read_text(encoding="utf-8"))
    first = companies[sorted(companies)[0]]
    product = yaml.safe_load(sorted((data / "products").glob("*.yaml"))[0].read_text(encoding="utf-8"))
    return {"company": first["name"], "alias": first["aliases"][0], "molecule": "Trastuzumab",
            "brand": "Humira", "product code": product["name"], "territory": "Japan"}


def measure_search(site: Path, page_path: str, queries: dict[str, str], compress: bool) -> list[dict[str, Any]]:
    """First visit to a deal page, then one query in the header box: bytes fetched and time to results."""
    from playwright.sync_api import sync_playwright

    server, url, root = serve(site, compress)
    out = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for kind, query in queries.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                finished: list[Any] = []
                page.on("requestfinished", lambda request, found=finished: found.append(request))
                page.goto(url + page_path)
                page.wait_for_load_state("networkidle")
                box = page.locator(".md-search__input")
                box.click()
                page.keyboard.type(query[:-1])
                start = time.perf_counter()
                page.keyboard.type(query[-1])
                page.wait_for_function(
                    "q => document.querySelector('[data-search-state=done]') && "
                    "document.querySelector('.md-search__input').value.trim() === q", arg=query)
                seconds = time.perf_counter() - start
                page.wait_for_load_state("networkidle")
                total = 0
                for request in finished:
                    sizes = request.sizes()
                    total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                results = page.locator(".md-search-result__item").count()
                first = page.locator(".md-search-result__item h1").first.inner_text() if results else ""
                out.append({"kind": kind, "query": query, "compressed": compress, "kb": round(total / 1024, 1),
                            "seconds_to_results": round(seconds, 3), "results": results, "first": first})
                context.close()
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(root)
    return out


def measure_filter(site: Path, territory: str = "Japan") -> dict[str, Any]:
    """The deals index filtered by a territory, served gzip-compressed: bytes of the whole visit
    and the time from choosing the territory to its first rows."""
    from playwright.sync_api import sync_playwright

    server, url, root = serve(site, compress=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            finished: list[Any] = []
            page.on("requestfinished", lambda request: finished.append(request))
            page.goto(url + "deals/")
            page.wait_for_selector("[data-deal-filter]:not([hidden])")
            page.wait_for_load_state("networkidle")
            start = time.perf_counter()
            page.locator("select[name=territory]").select_option(territory)
            page.wait_for_selector("[data-deal-filter][data-filter-state=done] ~ [data-deal-results]:not([hidden])"
                                   " tbody tr")
            seconds = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
            status = page.locator(".deal-filter__status").inner_text()
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(root)
    return {"territory": territory, "kb": round(total / 1024, 1), "seconds_to_rows": round(seconds, 3),
            "status": status}


def measure_serve_edit(work: Path, data: Path, config: Path, engine: str) -> dict[str, Any]:
    """Start `make serve`'s preview on an engine, change one deal's title, and time until the new title
    is served."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    args = [str(BIN / "digestgen"), "serve", "--engine", engine, "--config", str(config), "-a", f"127.0.0.1:{port}",
            "--work", str(work / f"preview-{engine}")]
    proc = subprocess.Popen(args, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deal = sorted(data.glob("2*/*.yaml"))[len(list(data.glob("2*/*.yaml"))) // 2]
    page = f"http://127.0.0.1:{port}/digest/deals/{deal.stem}/"
    original = deal.read_text(encoding="utf-8")
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(page, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    said = proc.stderr.read() if proc.stderr else ""
                    return {"error": f"the {engine} preview did not start: {said}"}
                time.sleep(0.2)
        time.sleep(2)  # let the watcher settle after the first build
        marker = f"Edited title {time.time_ns()}"
        lines = original.splitlines(keepends=True)
        edited = (f"title: {marker}\n" if line.startswith("title:") else line for line in lines)
        deal.write_text("".join(edited), encoding="utf-8")
        start = time.perf_counter()
        while time.perf_counter() - start < 300:
            try:
                if marker in urllib.request.urlopen(page, timeout=5).read().decode("utf-8"):
                    return {"seconds_to_served": round(time.perf_counter() - start, 3), "page": page}
            except OSError:
                pass
            time.sleep(0.05)
        return {"error": "the edit was not served within 300 s"}
    finally:
        deal.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()



def bench_size(n: int, seed: int, work_root: Path, search: bool, serve_edit: bool, repeats: int) -> dict[str, Any]:
    work = work_root / str(n)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data, rendered = work / "data", work / "rendered"
    print(f"\n== {n:,} deals ==", flush=True)
    measure([str(BIN / "digestgen"), "synth", "--deals", str(n), "--seed", str(seed), "--out", str(data)], work)
    result: dict[str, Any] = {"deals": n}
    result["validate"] = asdict(measure([str(BIN / "digestgen"), "validate", str(data)], work))
    print(f"validate        {result['validate']['seconds']:8.2f} s {result['validate']['peak_mb']:8.0f} MB", flush=True)
    result["render"] = asdict(measure([str(BIN / "digestgen"), "render", str(data), "--out", str(rendered),
                                       "--content", str(ROOT / "content")], work))
    print(f"render          {result['render']['seconds']:8.2f} s {result['render']['peak_mb']:8.0f} MB", flush=True)
    full, bare, nosearch = write_configs(work, data, rendered)
    # The machine is shared: the builds take turns, `repeats` rounds, and each keeps its fastest.
    # `make site` is `digestgen build`, on MkDocs with Material (the default) or Zensical; the MkDocs
    # one runs last, so that the site measured below is the one CI publishes.
    builds: dict[str, list[Run]] = {"zensical_build": [], "build": [], "bare_build": [], "bare_nosearch_build": []}
    for _ in range(repeats):
        for engine, key in (("zensical", "zensical_build"), ("mkdocs", "build")):
            builds[key].append(measure([str(BIN / "digestgen"), "build", "--engine", engine, "--config", str(full),
                                        "--work", str(work / f"build-{engine}")], work))
        builds["bare_build"].append(measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(bare)], work))
        builds["bare_nosearch_build"].append(measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(nosearch)], work))
    labels = {"zensical_build": "zensical build", "build": "mkdocs build", "bare_build": "bare + search",
              "bare_nosearch_build": "bare, no plugin"}
    for key, runs in builds.items():
        best = min(runs, key=lambda r: r.seconds)
        result[key] = dict(asdict(best), peak_mb=max(r.peak_mb for r in runs), all_seconds=[r.seconds for r in runs])
        print(f"{labels[key]:15} {best.seconds:8.2f} s {result[key]['peak_mb']:8.0f} MB   (runs: "
              f"{', '.join(f'{r.seconds:.2f}' for r in runs)})", flush=True)
    result["overhead"] = round(result["build"]["seconds"] / result["bare_build"]["seconds"] - 1, 3)
    result["overhead_vs_nosearch"] = round(result["build"]["seconds"] / result["bare_nosearch_build"]["seconds"] - 1, 3)
    site = work / "site"
    pages = deal_pages(site)
    sizes = [p.stat().st_size for p in pages]
    median_page = pages[sizes.index(sorted(sizes)[len(sizes) // 2])]
    result["deal_page_kb"] = round(statistics.median(sizes) / 1024, 1)
    result["site_mb"] = round(folder_size(site) / MB, 1)
    result["search_index_mb"] = round(folder_size(site / "pagefind") / MB, 1)
    result["pages"] = sum(1 for _ in site.rglob("index.html"))
    print(f"deal page (median) {result['deal_page_kb']} KB; site {result['site_mb']} MB in {result['pages']} pages "
          f"(search index {result['search_index_mb']} MB)", flush=True)
    print(f"our build over bare + search {result['overhead']:+.1%}, over bare with no plugin "
          f"{result['overhead_vs_nosearch']:+.1%}", flush=True)
    if search:
        page_path = median_page.parent.relative_to(site).as_posix() + "/"
        for compress, key in ((False, "search"), (True, "search_gzip")):
            result[key] = measure_search(site, page_path, search_queries(data), compress)
            print("search, served " + ("gzip-compressed like GitHub Pages" if compress else "uncompressed"))
            for s in result[key]:
                print(f"  {s['kind']:13} {s['query'][:28]!r:30} {s['kb']:7.1f} KB {s['seconds_to_results']:6.3f} s "
                      f"{s['results']:3} results, first: {s['first'][:50]}", flush=True)
        result["filter"] = measure_filter(site)
        f = result["filter"]
        print(f"deals index filtered by {f['territory']} (gzip): {f['kb']:.1f} KB for the visit, rows after "
              f"{f['seconds_to_rows']:.3f} s ({f['status']})", flush=True)
    if serve_edit:
        for engine, key in (("mkdocs", "serve_edit"), ("zensical", "zensical_serve_edit")):
            result[key] = measure_serve_edit(work, data, full, engine)
            print(f"serve ({engine}): edit shown after {result[key]}", flush=True)
    for folder in ("rendered", "bare-site", "bare-nosearch-site", "build-mkdocs", "build-zensical", "preview-mkdocs",
                   "preview-zensical"):
        shutil.rmtree(work / folder, ignore_errors=True)
    return result


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1024 ** 3, 1),
        "cpu": platform.processor() or platform.machine(), "python": platform.python_version(),
        "mkdocs": metadata.version("mkdocs"), "mkdocs-material": metadata.version("mkdocs-material"),
        "pagefind": metadata.version("pagefind"), "os": platform.platform(),
    }


def check_targets(results: dict[int, dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    """Return (target, met, figures) for each target of the scale issue that this run measured."""
    out: list[tuple[str, bool | None, str]] = []
    for n in (1000, 10000):
        if n in results:
            o = results[n]["overhead"]
            out.append((f"overhead over bare MkDocs + Material at {n:,} <= 15%", o <= 0.15,
                        f"{o:+.1%} ({results[n]['overhead_vs_nosearch']:+.1%} over a build with no search at all)"))
    if 1000 in results and 10000 in results:
        for step in ("validate", "render", "build", "zensical_build"):
            r = results[10000][step]["seconds"] / results[1000][step]["seconds"]
            out.append((f"t(10,000)/t(1,000) for {step} <= 11", r <= 11, f"{r:.1f}"))
    if 100 in results and 10000 in results:
        r = results[10000]["deal_page_kb"] / results[100]["deal_page_kb"]
        out.append(("deal page at 10,000 <= 1.2 x at 100", r <= 1.2, f"{r:.2f}"))
    if 10000 in results:
        r10 = results[10000]
        seconds = r10["validate"]["seconds"]
        out.append(("validate 10,000 deals <= 2 s", seconds <= 2, f"{seconds:.2f} s"))
        out.append(("full build at 10,000 peak memory < 2 GB", r10["build"]["peak_mb"] < 2048,
                    f"{r10['build']['peak_mb']:.0f} MB"))
        out.append(("Zensical build at 10,000 peak memory < 2 GB", r10["zensical_build"]["peak_mb"] < 2048,
                    f"{r10['zensical_build']['peak_mb']:.0f} MB"))
        if "search" in r10:
            kb = max(s["kb"] for s in r10["search_gzip"])
            raw = max(s["kb"] for s in r10["search"])
            sec = max(s["seconds_to_results"] for s in r10["search"] + r10["search_gzip"])
            out.append(("search at 10,000: first visit + query <= 800 KB over the wire (gzip, as GitHub Pages)",
                        kb <= 800, f"max {kb:.0f} KB; {raw:.0f} KB when nothing is compressed"))
            out.append(("search at 10,000: results within 1 s of typing", sec <= 1, f"max {sec:.3f} s"))
        if "filter" in r10:
            f = r10["filter"]
            out.append(("deals index filtered at 10,000: rows within 1 s (readers issue)", f["seconds_to_rows"] <= 1,
                        f"{f['seconds_to_rows']:.3f} s, {f['kb']:.0f} KB for the whole visit"))
    for key, engine in (("serve_edit", "MkDocs"), ("zensical_serve_edit", "Zensical")):
        if 1000 in results and key in results[1000]:
            s = results[1000][key].get("seconds_to_served")
            out.append((f"serve at 1,000 on {engine}: an edit is served in < 3 s", s is not None and s < 3,
                        f"{s} s" if s is not None else results[1000][key].get("error", "?")))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / "work"))
    parser.add_argument("--no-search", action="store_true", help="skip the browser measurements")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve edit measurement")
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results"), help="folder for the JSON report")
    parser.add_argument("--repeats", type=int, default=0,
                        help="rounds of the three builds (default: 3, and 1 at 10,000 deals)")
    args = parser.parse_args()
    started = time.perf_counter()
    results: dict[int, dict[str, Any]] = {}
    for n in args.sizes:
        with_search = not args.no_search and n in (min(args.sizes), max(args.sizes))
        results[n] = bench_size(n, args.seed, Path(args.work), search=with_search,
                                serve_edit=not args.no_serve and n == 1000,
                                repeats=args.repeats or (1 if n >= 10000 else 3))
    targets = check_targets(results)
    print("\n== targets ==")
    for name, met, figure in targets:
        print(f"{'MET ' if met else 'MISS'}  {name}: {figure}")
    report = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine(),
              "seed": args.seed, "results": {str(n): r for n, r in results.items()},
              "targets": [{"target": t, "met": m, "figure": f} for t, m, f in targets],
              "bench_seconds": round(time.perf_counter() - started, 1)}
    out = Path(args.results)
    out.mkdir(parents=True, exist_ok=True)
    name = f"bench-{dt.date.today().isoformat()}-{'-'.join(map(str, args.sizes))}.json"
    (out / name).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {out / name} ({report['bench_seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
