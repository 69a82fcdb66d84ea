"""The Python dependencies are locked: every requirement of pyproject.toml is pinned, with hashes, at
a version it allows: what building needs in requirements.txt, with the test tools in
requirements-dev.txt; the set-up script installs from the locks."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)")


def locked(lock: str = "requirements.txt") -> dict[str, tuple[Version, int]]:
    """Return {package: (version, number of hashes)} from a lock file."""
    pins: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            pins[name] = (Version(match.group(2)), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def test_every_requirement_of_pyproject_is_locked_at_a_version_it_allows() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    tools = [Requirement(r) for extra in ("test", "bench") for r in project["optional-dependencies"][extra]]
    for lock, wanted in (("requirements.txt", runtime), ("requirements-dev.txt", runtime + tools)):
        pins = locked(lock)
        stale = [str(r) for r in wanted if canonicalize_name(r.name) not in pins
                 or not r.specifier.contains(pins[canonicalize_name(r.name)][0], prereleases=True)]
        assert not stale, f"{lock} is stale for {stale}: run make lock"
    assert not set(locked("requirements.txt")) & {canonicalize_name(r.name) for r in tools} - {
        canonicalize_name(r.name) for r in runtime}, "building installs no test tool"


def test_every_locked_package_has_a_hash_and_the_setup_installs_from_the_lock() -> None:
    for lock in ("requirements.txt", "requirements-dev.txt"):
        pins = locked(lock)
        assert len(pins) > 20
        assert all(hashes for _, hashes in pins.values()), [n for n, (_, h) in pins.items() if not h]
        # runtime and test locks agree on every package they share
        assert all(pins[n][0] == v for n, (v, _) in locked("requirements.txt").items() if n in pins)
    setup = (ROOT / "scripts" / "setup-venv.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.txt" in setup and "--no-deps -e ." in setup
    assert "--require-hashes -r requirements-dev.txt" in setup
