"""Shared fixtures: real data folders, real builds, built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/expected/ from the output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a project command the way an editor would, and return its result."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def make_project(target: Path, deals: Path) -> Path:
    """Lay out a project (mkdocs.yml, content/, theme/) around a copy of a data folder."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "theme", target / "theme")
    shutil.copytree(deals, target / "deals")
    return target


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    return run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base fixture data built into a full site; returns the project folder."""
    project = make_project(tmp_path_factory.mktemp("fixture") / "project", FIXTURES / "base" / "deals")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The shipped data built strictly into a full site; returns the project folder and the run."""
    project = make_project(tmp_path_factory.mktemp("shipped") / "project", ROOT / "deals")
    return project, mkdocs_build(project)
