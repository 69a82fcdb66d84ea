"""Problems are values: every stage yields them, only the boundary raises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContractError(Exception):
    """Raised once, at a boundary, with every problem found in one run."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ContractError], tuple[tuple[Problem, ...]]]:
        return ContractError, (self.problems,)  # whole, from the process that rendered the docs
