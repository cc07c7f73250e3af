"""The Prometheus configuration is current and valid, and the alert rules do what they say
(`promtool check` and `promtool test rules`, from the Debian prometheus package)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from twoins.common.network import DEFAULT_NETWORK_FILE, load_network
from twoins.common.prometheus_config import render

PROMETHEUS = DEFAULT_NETWORK_FILE.parent / "prometheus"


def promtool(*arguments: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("promtool is missing: make test installs the Debian prometheus package")
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus)")
    return subprocess.run(
        [tool, *arguments], capture_output=True, text=True, timeout=120, cwd=PROMETHEUS
    )


def test_committed_config_is_current() -> None:
    committed = (PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8")
    assert committed == render(load_network()), (
        "deploy/prometheus/prometheus.yml is stale: run "
        "`python -m twoins.common.prometheus_config > deploy/prometheus/prometheus.yml`"
    )


def test_every_region_is_scraped() -> None:
    document = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8"))
    nodes = next(job for job in document["scrape_configs"] if job["job_name"] == "twoins-node")
    regions = {target["labels"]["region"] for target in nodes["static_configs"]}
    assert regions == set(load_network().region_ids)


def test_config_and_rules_are_valid() -> None:
    result = promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_rules_pass_their_unit_tests() -> None:
    result = promtool("test", "rules", "tests/alerts.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr
