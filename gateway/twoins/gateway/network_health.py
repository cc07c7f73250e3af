"""The network health page: every region's node as the monitor sees it, for network
coordinators (all regions) and cluster managers (their own), with charts from Prometheus when
one is configured. Operational figures only; no SME data."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

import grpc
from flask import Blueprint, render_template
from flask_babel import format_datetime, format_decimal, format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from twoins.common.realm_config import CLUSTER_MANAGER, NETWORK_COORDINATOR
from twoins.gateway.auth import signed_in_principal
from twoins.gateway.console.notes import health_reasons
from twoins.gateway.problems import Problem
from twoins.gateway.services import services
from twoins.v1 import network_health_pb2

logger = logging.getLogger(__name__)

network_health = Blueprint("network_health", __name__)

CHART_HOURS = 6
CHART_STEP_SECONDS = 300
_STATE_NAMES = {
    network_health_pb2.NODE_STATE_UP: "up",
    network_health_pb2.NODE_STATE_DEGRADED: "degraded",
    network_health_pb2.NODE_STATE_DOWN: "down",
}
#: A node's state as the page names it (the class names above stay in English).
STATE_LABELS: dict[str, Any] = {
    "up": _l("Up"),
    "degraded": _l("Degraded"),
    "down": _l("Down"),
    "unknown": _l("Unknown"),
}
#: The charts of each region: title, and a range query whose series carry a `region` label.
CHART_QUERIES: tuple[tuple[Any, str], ...] = (
    (_l("Events per minute"), "60 * sum by (region) (rate(twoins_monitor_events_seen_total[5m]))"),
    (_l("Open needs"), "max by (region) (twoins_monitor_open_needs)"),
    (_l("Open referrals"), "max by (region) (twoins_monitor_open_referrals)"),
)


@dataclass(frozen=True)
class Chart:
    title: str
    points: str  # SVG polyline points, x in 0..300, y in 0..60
    latest: float
    peak: float

    @property
    def now_text(self) -> str:
        return str(format_decimal(self.latest, format="0.0"))

    @property
    def peak_text(self) -> str:
        return str(format_decimal(self.peak, format="0.0"))


def _ago(stamp_seconds: int, now: float) -> str:
    """How long ago, in the reader's language ("10 seconds ago", "vor 3 Minuten")."""
    if not stamp_seconds:
        return str(_("never"))
    seconds = max(0, int(now - stamp_seconds))
    return str(format_timedelta(timedelta(seconds=-seconds), threshold=2, add_direction=True))


def _range(prometheus: str, query: str) -> dict[str, list[float]]:
    """Series of a range query by region over the last CHART_HOURS; empty on any failure."""
    end = time.time()
    parameters = urllib.parse.urlencode(
        {
            "query": query,
            "start": end - CHART_HOURS * 3600,
            "end": end,
            "step": CHART_STEP_SECONDS,
        }
    )
    url = f"{prometheus.rstrip('/')}/api/v1/query_range?{parameters}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - http(s) only
            body = json.load(response)
    except (OSError, ValueError, urllib.error.HTTPError) as error:
        logger.warning("charts unavailable", extra={"error": str(error)})
        return {}
    series: dict[str, list[float]] = {}
    for item in body.get("data", {}).get("result", []):
        region = item.get("metric", {}).get("region")
        if region:
            series[region] = [float(value) for _stamp, value in item.get("values", [])]
    return series


def _chart(title: str, values: list[float]) -> Chart | None:
    if len(values) < 2:
        return None
    peak = max(values) or 1.0
    step = 300 / (len(values) - 1)
    points = " ".join(
        f"{index * step:.1f},{60 - 56 * value / peak:.1f}" for index, value in enumerate(values)
    )
    return Chart(title, points, values[-1], max(values))


@network_health.get("/console/network-health")
def page() -> str:
    principal = signed_in_principal()
    if principal.has_role(NETWORK_COORDINATOR):
        visible: str | None = None
    elif principal.has_role(CLUSTER_MANAGER) and principal.region:
        visible = principal.region
    else:
        raise Problem(
            403, _("The network's health is for network coordinators and cluster managers.")
        )
    config = services().config
    try:
        response = (
            services()
            .monitor()
            .GetNetworkHealth(
                network_health_pb2.GetNetworkHealthRequest(),
                metadata=(("authorization", f"Bearer {principal.token}"),),
                timeout=5,
            )
        )
    except grpc.RpcError as error:
        raise Problem(
            503,
            _(
                "The monitor does not answer (%(code)s). Try again shortly, and tell the "
                "network coordinator if it goes on.",
                code=error.code().name,
            ),
        ) from None
    nodes = [node for node in response.nodes if visible is None or node.region == visible]
    charts: dict[str, list[Chart]] = {}
    if config.prometheus_url:
        for title, query in CHART_QUERIES:
            for region, values in _range(config.prometheus_url, query).items():
                chart = _chart(str(title), values)
                if chart is not None and (visible is None or region == visible):
                    charts.setdefault(region, []).append(chart)
    now = time.time()
    rows = [
        {
            "region": node.region,
            "state": _STATE_NAMES.get(node.state, "unknown"),
            "state_label": STATE_LABELS[_STATE_NAMES.get(node.state, "unknown")],
            "reasons": health_reasons(node),
            "since": format_datetime(node.state_since.ToDatetime(tzinfo=UTC), "medium"),
            "heartbeat": _ago(node.last_heartbeat_time.seconds, now),
            "lag": node.consumer_lag,
            "backlog": node.outbox_backlog,
            "open_needs": node.open_needs,
            "open_referrals": node.open_referrals,
            "events_seen": node.events_seen,
            "version": node.version or "—",
            "charts": charts.get(node.region, []),
        }
        for node in nodes
    ]
    states = [row["state"] for row in rows]
    summary = {state: states.count(state) for state in ("up", "degraded", "down")}
    return render_template(
        "network_health.html",
        user=principal,
        rows=rows,
        summary=summary,
        scope=visible,
        hours=CHART_HOURS,
        charts_enabled=bool(config.prometheus_url),
    )
