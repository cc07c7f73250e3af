"""The console's pieces that need no server: chart geometry, deadlines, form checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask_babel import Babel

from twoins.gateway.console.charts import bars, label_lines, radar
from twoins.gateway.console.context import Form
from twoins.gateway.console.referrals import _urgency, time_left
from twoins.gateway.problems import Problem
from twoins.v1 import referral_pb2 as pb


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    Babel(app)
    return app


def test_radar_places_full_scores_on_the_outer_ring_and_zero_at_the_centre() -> None:
    chart = radar([[5, 5, 5], [0, 0, 0]], maximum=5, size=320)
    outer = chart.rings[-1]
    assert chart.polygons[0] == outer
    assert set(chart.polygons[1].split()) == {"160.0,160.0"}
    assert len(chart.axes) == 3


def test_radar_labels_run_away_from_the_centre_and_wrap() -> None:
    chart = radar([[1, 2, 3, 4]], maximum=5)
    top, right, bottom, left = chart.axes
    assert (top.anchor, right.anchor, bottom.anchor, left.anchor) == (
        "middle",
        "start",
        "middle",
        "end",
    )
    assert right.label_x > right.x
    assert left.label_x < left.x
    assert label_lines("Internationalisation and export readiness of the firm", 18) == [
        "Internationalisation",
        "and export",
        "readiness of the firm",
    ]
    assert label_lines("Finance") == ["Finance"]


def test_radar_refuses_too_few_axes_or_ragged_series() -> None:
    with pytest.raises(ValueError, match="three axes"):
        radar([[1, 2]], maximum=5)
    with pytest.raises(ValueError, match="every series"):
        radar([[1, 2, 3], [1, 2]], maximum=5)


def test_bars_scale_to_the_largest_value() -> None:
    assert [bar.percent for bar in bars([("a", 2), ("b", 4), ("c", 0)])] == [50.0, 100.0, 0.0]
    assert [bar.percent for bar in bars([("a", 0)])] == [0.0]


def _referral(state: int, due_in_hours: float, overdue: bool = False) -> pb.Referral:
    referral = pb.Referral(state=state, overdue=overdue)  # type: ignore[arg-type]
    referral.answer_due_time.FromDatetime(datetime.now(UTC) + timedelta(hours=due_in_hours))
    return referral


def test_deadlines_count_down_and_overdue_comes_first(app: Flask) -> None:
    with app.test_request_context():
        assert time_left(_referral(pb.REFERRAL_STATE_PROPOSED, 50)).endswith("left")
        assert time_left(_referral(pb.REFERRAL_STATE_PROPOSED, -3)).startswith("overdue by")
        assert time_left(_referral(pb.REFERRAL_STATE_ACCEPTED, 50)) == ""
    later = _referral(pb.REFERRAL_STATE_PROPOSED, 10)
    sooner = _referral(pb.REFERRAL_STATE_PROPOSED, 5)
    overdue = _referral(pb.REFERRAL_STATE_PROPOSED, -1, overdue=True)
    ended = _referral(pb.REFERRAL_STATE_COMPLETED, -10)
    ordered = sorted([ended, later, sooner, overdue], key=_urgency)
    assert ordered == [overdue, sooner, later, ended]


def test_a_form_keeps_what_was_typed_and_says_what_is_wrong_by_field(app: Flask) -> None:
    with app.test_request_context():
        form = Form(values={"name": "", "count": "twelve", "kind": "9", "list": "a, b;c"})
        assert form.text("name", required=True) == ""
        assert form.integer("count") == 0
        assert form.choice("kind", [1, 2]) == 0
        assert form.items("list") == ["a", "b", "c"]
        assert set(form.errors) == {"name", "count", "kind"}
        assert form.get("count") == "twelve"
        assert not form.ok


def test_a_node_refusal_lands_next_to_its_field_or_above_the_form(app: Flask) -> None:
    with app.test_request_context():
        form = Form(values={"legal_name": "x", "contact_email": "bad"})
        refusal = Problem(
            400,
            "invalid",
            errors=[
                {"field": "organisation.contacts[0].email", "message": "not an email"},
                {"field": "organisation.legal_name", "message": "too short"},
            ],
        )
        form.take(refusal, {"organisation.contacts[0].email": "contact_email"})
        assert form.errors == {"contact_email": "not an email", "legal_name": "too short"}
        assert form.message == ""
        other = Form(values={})
        other.take(Problem(409, "the need is no longer a draft"), {})
        assert other.message == "the need is no longer a draft"
