"""Readiness assessment: the guided questionnaire (one question per dimension, scored 0–5 with
evidence), the result with scores per dimension on a radar chart, and a comparison with an
earlier assessment of the same SME."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, FACILITATOR
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.charts import radar
from twoins.gateway.console.context import Form, call, organisation_of, posted, submit, user
from twoins.gateway.console.labels import label
from twoins.v1 import assessment_pb2 as pb
from twoins.v1 import assessment_pb2_grpc, organisation_pb2

STAFF = (FACILITATOR, CLUSTER_MANAGER)
Service = assessment_pb2_grpc.AssessmentServiceStub
MAX_SCORE = 5
#: The question the facilitator asks for each dimension.
QUESTIONS = {
    pb.READINESS_DIMENSION_INNOVATION_STRATEGY: _l(
        "Does the firm have a written plan for new products, services or processes?"
    ),
    pb.READINESS_DIMENSION_RD_CAPACITY: _l(
        "Does it have people, budget and partners for research and development?"
    ),
    pb.READINESS_DIMENSION_DIGITAL_MATURITY: _l(
        "How far are its sales, production and administration digital?"
    ),
    pb.READINESS_DIMENSION_INTELLECTUAL_PROPERTY: _l(
        "Does it protect and manage its patents, trademarks and know-how?"
    ),
    pb.READINESS_DIMENSION_INTERNATIONAL_EXPERIENCE: _l(
        "Has it sold, bought or partnered abroad, and with what result?"
    ),
    pb.READINESS_DIMENSION_MARKET_KNOWLEDGE: _l(
        "Does it know its target markets: rules, competitors, customers, prices?"
    ),
    pb.READINESS_DIMENSION_PRODUCT_ADAPTABILITY: _l(
        "Can its product be adapted to other markets' standards, languages and tastes?"
    ),
    pb.READINESS_DIMENSION_FINANCIAL_CAPACITY: _l(
        "Can it finance growth abroad from its own funds, loans or grants?"
    ),
    pb.READINESS_DIMENSION_HUMAN_RESOURCES: _l(
        "Does it have staff with the languages and skills to work abroad?"
    ),
}
SCALE = [
    (0, _l("0 · absent")),
    (1, _l("1 · very weak")),
    (2, _l("2 · weak")),
    (3, _l("3 · adequate")),
    (4, _l("4 · strong")),
    (5, _l("5 · excellent")),
]


def _form(
    principal: Principal, organisation: organisation_pb2.Organisation, form: Form, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "assessment_form.html",
        user=principal,
        organisation=organisation,
        form=form,
        questions=[
            (dimension, label("dimension", dimension), text)
            for dimension, text in QUESTIONS.items()
        ],
        scale=SCALE,
    ), status


@console.route("/console/smes/<organisation_id>/assessments/new", methods=["GET", "POST"])
def new_assessment(organisation_id: str) -> Response | tuple[str, int]:
    principal = user(*STAFF)
    organisation = organisation_of(principal, organisation_id)
    if request.method == "GET":
        return _form(principal, organisation, Form(values={"request_id": str(uuid.uuid4())}))
    posted(*STAFF)
    form = Form.posted()
    assessment = pb.Assessment(
        organisation_id=organisation_id, notes=form.text("notes", max_length=5000)
    )
    for dimension in QUESTIONS:
        assessment.scores.append(
            pb.DimensionScore(
                dimension=dimension,
                score=form.choice(f"score_{dimension}", range(MAX_SCORE + 1)),
                evidence=form.text(f"evidence_{dimension}", max_length=2000),
            )
        )
    if not form.ok:
        form.message = _("Score every dimension; the questions left open are marked.")
        return _form(principal, organisation, form, 400)
    created = submit(
        principal,
        Service,
        "CreateAssessment",
        pb.CreateAssessmentRequest(assessment=assessment, request_id=form.get("request_id")),
        pb.CreateAssessmentResponse,
        form,
        {"assessment.notes": "notes"},
    )
    if created is None:
        return _form(principal, organisation, form, form.status)
    flash(_("Assessment saved."))
    return redirect(url_for("console.assessment", assessment_id=created.assessment.id))


def scores_of(assessment: pb.Assessment) -> list[int]:
    """The assessment's scores in the order of the questionnaire."""
    by_dimension = {item.dimension: item.score for item in assessment.scores}
    return [by_dimension.get(dimension, 0) for dimension in QUESTIONS]


@console.get("/console/assessments/<assessment_id>")
def assessment(assessment_id: str) -> str:
    principal = user(*STAFF)
    found = call(
        principal,
        Service,
        "GetAssessment",
        pb.GetAssessmentRequest(id=assessment_id),
        pb.GetAssessmentResponse,
    ).assessment
    organisation = organisation_of(principal, found.organisation_id)
    earlier = [
        item
        for item in call(
            principal,
            Service,
            "ListAssessments",
            pb.ListAssessmentsRequest(organisation_id=found.organisation_id, page_size=50),
            pb.ListAssessmentsResponse,
        ).assessments
        if item.id != found.id
    ]
    compared = next((item for item in earlier if item.id == request.args.get("compare")), None)
    series = [scores_of(found)] + ([scores_of(compared)] if compared else [])
    return render_template(
        "assessment.html",
        user=principal,
        assessment=found,
        organisation=organisation,
        earlier=earlier,
        compared=compared,
        rows=[
            (label("dimension", dimension), now, then)
            for dimension, now, then in zip(
                QUESTIONS,
                series[0],
                series[1] if compared else [None] * len(QUESTIONS),
                strict=True,
            )
        ],
        dimension_labels=[label("dimension", dimension) for dimension in QUESTIONS],
        chart=radar(series, MAX_SCORE),
    )
