"""The GitHub workflows: actionlint passes, and publishing follows the Pages rules we rely on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import BIN, ROOT, run

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_actionlint_finds_nothing() -> None:
    result = run([str(BIN / "actionlint"), "-no-color", *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_are_validated_linted_tested_and_built_strictly() -> None:
    check = load("check.yml")
    assert "pull_request" in check["on"]
    assert check["permissions"] == {"contents": "read"}
    [job] = check["jobs"].values()
    commands = [step.get("run", "") for step in job["steps"]]
    assert [c for c in commands if c] == ["make validate", "make lint", "make test",
                                          "make site ENGINE=${{ matrix.engine }}"]
    # one job per engine, each testing its own site
    assert job["strategy"]["matrix"]["engine"] == ["mkdocs", "zensical"]
    assert job["env"]["DIGEST_TEST_ENGINES"] == "${{ matrix.engine }}"
    assert "digestgen build --engine $(ENGINE)" in (ROOT / "Makefile").read_text()
    from digestgen.build import engine_command

    assert all("--strict" in engine_command(engine, ROOT / "mkdocs.yml") for engine in ("mkdocs", "zensical"))
    python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip"


def test_publish_deploys_main_to_pages_with_least_privilege() -> None:
    publish = load("publish.yml")
    assert publish["on"]["push"]["branches"] == ["main"]
    assert publish["permissions"] == {"contents": "read"}
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert "permissions" not in build  # only reads the repository
    assert uses(build) == ["actions/checkout@v7", "actions/setup-python@v7", "actions/configure-pages@v6",
                           "actions/upload-pages-artifact@v5"]
    assert next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))["with"] == \
        {"path": "site"}
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages@v5"]


def test_site_url_is_set_in_one_place_and_links_are_relative(fixture_site: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert config.count("site_url:") == 1
    for workflow in WORKFLOWS.glob("*.yml"):
        assert "site_url" not in workflow.read_text(encoding="utf-8")
    html = (fixture_site / "site" / "deals" / "amgen-daiichi-sankyo-japan-2016" / "index.html").read_text()
    assert 'href="/' not in html and 'src="/' not in html  # nothing assumes the site sits at the host's root


def test_sources_are_checked_weekly_and_the_report_kept_apart_from_publishing() -> None:
    sources = load("sources.yml")
    assert "schedule" in sources["on"] and "push" not in sources["on"]
    assert sources["permissions"] == {"contents": "read"}
    [job] = sources["jobs"].values()
    assert any("digestgen check-sources deals" in step.get("run", "") for step in job["steps"])
    keep = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert keep["if"] == "always()" and keep["with"]["path"] == "sources-report.txt"
    assert "check-sources" not in (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
