"""Read the data folder: YAML files become `Record`s, unreadable files become `Problem`s.

PyYAML's `safe_load` loses what editors need: it keeps the last of two equal keys
(silent data loss) and forgets every line number. So each file is composed into a
node graph with libyaml (fast, and every node keeps its mark) and turned into plain
data here, recording the 1-based line of every key and list item on the way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

try:  # libyaml is 15 times faster; keep working without it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40

DataPath = tuple[Any, ...]
ENTRY_KIND = {"companies": "company", "molecules": "molecule"}


@dataclass(frozen=True, slots=True)
class Record:
    """One entity read from YAML: a deal, product, company or molecule."""

    path: str
    kind: str
    id: str
    line: int
    data: Any
    lines: Mapping[DataPath, int]

    def line_of(self, *keys: Any) -> int:
        """Return the line of the deepest part of `keys` that exists, else the record's line."""
        for end in range(len(keys), 0, -1):
            line = self.lines.get(tuple(keys[:end]))
            if line is not None:
                return line
        return self.line

    def problem(self, message: str, *keys: Any) -> Problem:
        return Problem(self.path, self.line_of(*keys), message)


@dataclass(frozen=True, slots=True)
class Loaded:
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]


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

    def __init__(self) -> None:
        self.lines: dict[DataPath, int] = {}
        self.seen: set[int] = set()
        self.constructor = SafeConstructor()

    def convert(self, node: Node, path: DataPath, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            raise _NodeError(line, "yaml anchors and aliases are not supported; write the value out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _NodeError(line, f"data is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.convert(item, path + (index,), depth + 1))
            return items
        return self._scalar(node, line)

    def _mapping(self, node: MappingNode, path: DataPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _NodeError(key_line, "keys must be plain names (no lists, mappings or '<<' merges)")
            key = key_node.value
            if key in result:
                first = self.lines[path + (key,)]
                raise _NodeError(key_line, f"duplicate key '{key}' (first defined on line {first}); "
                                           "yaml would silently keep only the last one")
            self.lines[path + (key,)] = key_line
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: ScalarNode, line: int) -> Any:
        if node.tag not in _SCALAR_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _NodeError(line, f"unsupported yaml tag '{tag}'; write plain text, numbers, dates, lists and mappings")
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, ConstructorError, OverflowError) as error:
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise _NodeError(line, f"'{node.value}' is not a valid date (expected YYYY-MM-DD)") from error
            raise _NodeError(line, f"cannot read value '{node.value}': {error}") from error


def parse_yaml(text: str, path: str) -> tuple[Any, dict[DataPath, int], Problem | None]:
    """Return (data, lines, None), or (None, {}, problem) when the text is not usable YAML."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        detail = error.problem or error.context or "invalid yaml"
        if "\\t" in detail or "'\t'" in detail:
            detail = "a tab character; yaml indents with spaces only"
        return None, {}, Problem(path, line, f"yaml syntax error: {detail}")
    except yaml.YAMLError as error:
        return None, {}, Problem(path, 1, f"yaml error: {error}")
    if node is None:
        return None, {}, Problem(path, 1, "file is empty")
    converter = _Converter()
    try:
        data = converter.convert(node, ())
    except _NodeError as error:
        return None, {}, Problem(path, error.line, error.message)
    except RecursionError:
        return None, {}, Problem(path, 1, f"data is nested more than {MAX_DEPTH} levels deep")
    if data is None or data == "":
        return None, {}, Problem(path, 1, "file is empty")
    return data, converter.lines, None


def read_text(file: Path, path: str) -> tuple[str | None, Problem | None]:
    """Return the file's text, or a problem when it is too big or not UTF-8."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, Problem(path, 1, f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8-sig"), None
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


def load_data(data_dir: str | os.PathLike[str]) -> Loaded:
    """Return every record under `data_dir` and a problem for each file that cannot be read."""
    base = Path(data_dir)
    records: list[Record] = []
    problems: list[Problem] = []
    if not base.is_dir():
        return Loaded((), (Problem(str(base), 0, "data folder not found"),))
    for file in iter_data_files(base):
        path = file.as_posix()
        relative = file.relative_to(base).as_posix()
        if file.suffix == ".yml":
            problems.append(Problem(path, 1, "data files must end in '.yaml', not '.yml'"))
            continue
        if file.suffix != ".yaml":
            continue
        text, problem = read_text(file, path)
        if problem is None:
            data, lines, problem = parse_yaml(text or "", path)
        if problem is not None:
            problems.append(problem)
            continue
        kind = kind_of(relative)
        if not isinstance(data, dict):
            what = "a list" if isinstance(data, list) else "a single value"
            problems.append(Problem(path, 1, f"expected a mapping of fields, found {what}"))
            continue
        if kind in ("companies", "molecules"):
            records.extend(_split_entries(path, ENTRY_KIND[kind], data, lines))
        else:
            records.append(Record(path, kind, file.stem, 1, data, lines))
    return Loaded(tuple(records), tuple(problems))


def _split_entries(path: str, kind: str, data: dict[str, Any], lines: Mapping[DataPath, int]) -> Iterator[Record]:
    """Yield one record per entry of a companies or molecules mapping."""
    own: dict[str, dict[DataPath, int]] = {key: {} for key in data}
    for data_path, line in lines.items():
        own[data_path[0]][data_path[1:]] = line
    for key, value in data.items():
        entry_lines = own[key]
        start = entry_lines.pop((), 1)
        yield Record(path, kind, str(key), start, value, entry_lines)
