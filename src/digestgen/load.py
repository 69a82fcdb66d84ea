"""Read the data folder: YAML files become `Record`s, unreadable files become `Problem`s.

PyYAML's `safe_load` loses what editors need: it keeps the last of two equal keys
(silent data loss) and forgets every line number. So each file is composed into a
node graph with libyaml (fast, and every node keeps its mark) and turned into plain
data here. The 1-based line of every key and list item is recorded on the way for the
companies and molecules files; a deal or product keeps its text, from which its lines are
worked out when a problem needs one (see `Record`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

try:  # libyaml is 15 times faster; keep working without it
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Loader(_BaseLoader):
    """libyaml's loader with the scalar type guess cached.

    libyaml calls back into Python to guess the type of every scalar by regular
    expressions; the same keys and values recur across thousands of files.
    """

    _plain_tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is MappingNode:
            return _MAP
        if kind is SequenceNode:
            return _SEQ
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR if implicit[1] else str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
                if len(self._plain_tags) < 100_000:
                    self._plain_tags[value] = tag
            return tag
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # no path resolvers are registered

    def ascend_resolver(self) -> None:
        pass


MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40

DataPath = tuple[Any, ...]
ENTRY_KIND = {"companies": "company", "molecules": "molecule"}


@dataclass(frozen=True, slots=True)
class Record:
    """One entity read from YAML: a deal, product, company or molecule, with what it takes to say
    on which line each of its keys and list items stands.

    A problem is rare, so a deal's or product's lines are worked out from the text it was read
    from only when a problem needs one; companies and molecules share their file's lines, which
    splitting the file into entries needed anyway. Either way a record answers from what it
    carries, never from the disk: a rule is a function of the record alone.
    """

    path: str
    kind: str
    id: str
    line: int
    data: Any
    prefix: DataPath = ()  # where the record sits in its file: () or (entry id,)
    source: str = ""  # the text the record was read from, when its lines are worked out on demand
    known_lines: Mapping[DataPath, int] | None = None  # its file's lines, when they are known already

    @property
    def lines(self) -> Mapping[DataPath, int]:
        """The 1-based line of every key path, e.g. ('parties', 0, 'role'), of the record's file."""
        if self.known_lines is not None:
            return self.known_lines
        return lines_of(self.source, self.path) if self.source else {}

    def line_of(self, *keys: Any) -> int:
        """Return the line of the deepest part of `keys` that exists, else the record's line."""
        lines = self.lines
        for end in range(len(keys), 0, -1):
            line = lines.get(self.prefix + tuple(keys[:end]))
            if line is not None:
                return line
        return self.line

    def problem(self, message: str, *keys: Any) -> Problem:
        return Problem(self.path, self.line_of(*keys), message)


@functools.lru_cache(maxsize=64)
def lines_of(text: str, path: str) -> Mapping[DataPath, int]:
    """Return the line of every key and list item of a data file's text (empty if it does not parse)."""
    return parse_yaml(text, path, keep_lines=True).lines


class _NodeError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class _Converter:
    """Turns one composed document into data plus a line for every key and item."""

    def __init__(self, keep_lines: bool) -> None:
        self.keep_lines = keep_lines
        self.lines: dict[DataPath, int] = {}
        self.notes: list[tuple[int, str]] = []  # problems that leave the file readable: (line, message)
        self.seen: set[int] = set()
        self.constructor = SafeConstructor()

    def convert(self, node: Node, path: DataPath, depth: int = 0) -> Any:
        if id(node) in self.seen:
            raise _NodeError(node.start_mark.line + 1,
                             "yaml anchors and aliases are not supported; write the value out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _NodeError(node.start_mark.line + 1, f"data is nested more than {MAX_DEPTH} levels deep")
        cls = node.__class__
        if cls is ScalarNode:
            if node.tag == _STR:
                return node.value
            return self._scalar(node, node.start_mark.line + 1)  # type: ignore[arg-type]  # `cls is` is the fast narrowing
        if cls is MappingNode:
            return self._mapping(node, path, depth)  # type: ignore[arg-type]
        if cls is SequenceNode:
            if not self.keep_lines:
                return [self.convert(item, path, depth + 1) for item in node.value]
            items = []
            lines = self.lines
            for index, item in enumerate(node.value):
                sub = path + (index,)
                lines[sub] = item.start_mark.line + 1
                items.append(self.convert(item, sub, depth + 1))
            return items
        return self._scalar(node, node.start_mark.line + 1)  # type: ignore[arg-type]

    def _mapping(self, node: MappingNode, path: DataPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _NodeError(key_line, "keys must be plain names (no lists, mappings or '<<' merges)")
            key = key_node.value
            if key in result:  # reported, and the file checked on with the first value
                first = next(k.start_mark.line + 1 for k, _ in node.value if k.value == key)
                self.notes.append((key_line, f"duplicate key '{key}' (first defined on line {first}); "
                                             "yaml would silently keep only the last one"))
                continue
            if self.keep_lines:
                sub = path + (key,)
                self.lines[sub] = key_line
            else:
                sub = path
            result[key] = self.convert(value_node, sub, depth + 1)
        return result

    def _scalar(self, node: ScalarNode, line: int) -> Any:
        if node.tag not in _SCALAR_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _NodeError(line, f"unsupported yaml tag '{tag}'; "
                                   "write plain text, numbers, dates, lists and mappings")
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, ConstructorError, OverflowError) as error:
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise _NodeError(line, f"'{node.value}' is not a valid date (expected YYYY-MM-DD)") from error
            raise _NodeError(line, f"cannot read value '{node.value}': {error}") from error


class Parsed(NamedTuple):
    data: Any
    lines: dict[DataPath, int]  # each key path, e.g. ('parties', 0, 'role'), to its line, when kept
    problem: Problem | None  # what makes the text unusable; data is None then
    notes: tuple[Problem, ...] = ()  # problems that leave it usable (a duplicate key: the first value is kept)


def parse_yaml(text: str, path: str, keep_lines: bool = False) -> Parsed:
    """Return the data of a YAML text, or the problem that makes it unusable."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        detail = error.problem or error.context or "invalid yaml"
        lines = text.splitlines()
        bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if "\\t" in detail or "'\t'" in detail or "\t" in bad_line[:len(bad_line) - len(bad_line.lstrip())]:
            detail = "a tab character in the indentation; yaml indents with spaces only"
        return Parsed(None, {}, Problem(path, line, f"yaml syntax error: {detail}"))
    except yaml.YAMLError as error:
        return Parsed(None, {}, Problem(path, 1, f"yaml error: {error}"))
    if node is None:
        return Parsed(None, {}, Problem(path, 1, "file is empty"))
    converter = _Converter(keep_lines)
    try:
        data = converter.convert(node, ())
    except _NodeError as error:
        return Parsed(None, {}, Problem(path, error.line, error.message))
    except RecursionError:
        return Parsed(None, {}, Problem(path, 1, f"data is nested more than {MAX_DEPTH} levels deep"))
    if data is None or data == "":
        return Parsed(None, {}, Problem(path, 1, "file is empty"))
    return Parsed(data, converter.lines, None, tuple(Problem(path, line, message) for line, message in converter.notes))


def read_text(file: Path, path: str) -> tuple[str | None, Problem | None]:
    """Return the file's text, or a problem when it is too big or not UTF-8."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, Problem(path, 1, f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    raw = file.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, Problem(path, 1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, Problem(path, line, f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8")


def kind_of(relative: str) -> str:
    """Return which kind of file a path inside the data folder holds."""
    if relative == "companies.yaml":
        return "companies"
    if relative == "molecules.yaml":
        return "molecules"
    if relative.startswith("products/"):
        return "product"
    return "deal"


def iter_data_files(data_dir: Path) -> Iterator[Path]:
    """Yield every file under the data folder, sorted, skipping hidden ones."""
    for root, dirs, files in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def data_files(data_dir: str | os.PathLike[str]) -> tuple[list[Path], list[Problem]]:
    """Return the data files under `data_dir`, and a problem for each file that cannot be one."""
    base = Path(data_dir)
    if not base.is_dir():
        return [], [Problem(str(base), 0, "data folder not found")]
    files: list[Path] = []
    problems: list[Problem] = []
    for file in iter_data_files(base):
        if file.suffix == ".yml":
            problems.append(Problem(file.as_posix(), 1, "data files must end in '.yaml', not '.yml'"))
        elif file.suffix == ".yaml":
            files.append(file)
    return files, problems


def load_file(base: Path, file: Path) -> tuple[list[Record], list[Problem]]:
    """Return the records of one data file and its problems as a file; no records when it is unreadable."""
    path = file.as_posix()
    kind = kind_of(file.relative_to(base).as_posix())
    text, problem = read_text(file, path)
    if problem is not None:
        return [], [problem]
    parsed = parse_yaml(text or "", path, keep_lines=kind in ENTRY_KIND)
    if parsed.problem is not None:
        return [], [parsed.problem]
    if not isinstance(parsed.data, dict):
        what = "a list" if isinstance(parsed.data, list) else "a single value"
        return [], [Problem(path, 1, f"expected a mapping of fields, found {what}")]
    if kind in ("companies", "molecules"):
        return list(_split_entries(path, ENTRY_KIND[kind], parsed.data, parsed.lines)), list(parsed.notes)
    return [Record(path, kind, file.stem, 1, parsed.data, source=text or "")], list(parsed.notes)


def _split_entries(path: str, kind: str, data: dict[str, Any], lines: Mapping[DataPath, int]) -> Iterator[Record]:
    """Yield one record per entry of a companies or molecules mapping."""
    for key, value in data.items():
        yield Record(path, kind, str(key), lines.get((key,), 1), value, (key,), known_lines=lines)
