"""`digestgen check-sources`: does every source address still answer?

Each distinct address is asked once (HEAD, then GET when a server refuses HEAD), with redirects
followed and a timeout; hosts are asked one request at a time with a pause between requests, while
different hosts are asked concurrently. An address that fails is reported at every place that
cites it, as `path:line: source ... answers 404`, with the Internet Archive's address to look for a
copy. Nothing is written; the exit status says whether every address answered.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .load import DataPath, Record

USER_AGENT = "digestgen-check-sources (+https://biosimilar-deal-digest.github.io/digest/)"
ARCHIVE = "https://web.archive.org/web/2/"


@dataclass(frozen=True, slots=True)
class Citation:
    path: str
    line: int
    url: str


@dataclass(frozen=True, slots=True)
class Answer:
    url: str
    ok: bool
    said: str  # "answers 404", "did not answer within 10 s", ...


def citations(records: Iterable[Record]) -> Iterator[Citation]:
    """Yield every source address the records cite, with the line that cites it."""
    for record in records:
        yield from _walk(record, record.data, ())


def _walk(record: Record, data: Any, path: DataPath) -> Iterator[Citation]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and isinstance(value, list):
                for index, source in enumerate(value):
                    url = source.get("url") if isinstance(source, dict) else None
                    if isinstance(url, str):
                        yield Citation(record.path, record.line_of(*path, key, index, "url"), url.strip())
            else:
                yield from _walk(record, value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _walk(record, item, (*path, index))


def _ask(url: str, timeout: float) -> Answer:
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # redirects are followed
                return Answer(url, True, f"answers {response.status}")
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):  # some servers refuse HEAD only
                continue
            return Answer(url, False, f"answers {error.code}")
        except TimeoutError:
            return Answer(url, False, f"did not answer within {timeout:g} s")
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                return Answer(url, False, f"did not answer within {timeout:g} s")
            return Answer(url, False, f"cannot be reached ({reason})")
    return Answer(url, False, "refuses HEAD and GET")  # pragma: no cover - GET returns above


def check(cited: Iterable[Citation], timeout: float = 10, pause: float = 1.0, workers: int = 8) -> list[Answer]:
    """Ask every distinct address once; return the answers in the order the addresses came."""
    urls = list(dict.fromkeys(c.url for c in cited))
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).netloc.lower()].append(url)
    answers: dict[str, Answer] = {}
    lock = threading.Lock()

    def one_host(host_urls: list[str]) -> None:  # politely: one request at a time per host
        for i, url in enumerate(host_urls):
            if i:
                time.sleep(pause)
            answer = _ask(url, timeout)
            with lock:
                answers[url] = answer

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one_host, by_host.values()))
    return [answers[url] for url in urls]


def report(cited: list[Citation], answers: list[Answer]) -> list[str]:
    """Return one line per place that cites an address that failed, sorted by file and line."""
    failed = {a.url: a for a in answers if not a.ok}
    return [f"{c.path}:{c.line}: source {c.url} {failed[c.url].said}; an archived copy may be at {ARCHIVE}{c.url}"
            for c in sorted(cited, key=lambda c: (c.path, c.line)) if c.url in failed]
