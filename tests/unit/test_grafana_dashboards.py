"""The Grafana dashboards provision as they are: valid JSON, one data source, and queries that
name only metrics the services and recording rules really produce."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "deploy" / "grafana"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
SOURCES = [ROOT / "services", ROOT / "gateway"]
METRIC = re.compile(r"twoins[_:][A-Za-z0-9_:]+")
SUFFIXES = ("_total", "_bucket", "_count", "_sum", "_created")


def dashboard_expressions(board: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in board["panels"] for target in panel.get("targets", [])]


def known_metrics() -> set[str]:
    names: set[str] = set()
    for folder in SOURCES:
        for path in folder.rglob("*.py"):
            names.update(re.findall(r'"(twoins_[a-z_]+)"', path.read_text(encoding="utf-8")))
    rules = ROOT / "deploy" / "prometheus" / "rules" / "recording.yml"
    for group in yaml.safe_load(rules.read_text(encoding="utf-8"))["groups"]:
        names.update(rule["record"] for rule in group["rules"])
    return names | {name + suffix for name in names for suffix in SUFFIXES}


def test_there_are_dashboards() -> None:
    assert {path.stem for path in DASHBOARDS} == {"network-overview", "region"}


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_dashboard_is_complete_and_uses_the_provisioned_source(path: Path) -> None:
    board = json.loads(path.read_text(encoding="utf-8"))
    assert board["uid"].startswith("twoins-")
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    source = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text(encoding="utf-8")
    )["datasources"][0]["uid"]
    for panel in board["panels"]:
        assert panel["datasource"]["uid"] == source, panel["title"]
        assert panel["targets"], panel["title"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_dashboard_queries_name_real_metrics(path: Path) -> None:
    board = json.loads(path.read_text(encoding="utf-8"))
    known = known_metrics()
    unknown = {
        name
        for expression in dashboard_expressions(board)
        for name in METRIC.findall(expression)
        if name not in known
    }
    assert not unknown, f"{path.name} queries metrics nothing produces: {sorted(unknown)}"
