"""2InS business plan: the section editor (each save is a new revision), the revisions,
a comparison of two revisions section by section, and the plan as a PDF."""

from __future__ import annotations

import difflib
import uuid

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, FACILITATOR
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import Form, call, organisation_of, posted, submit, user
from twoins.gateway.console.labels import LABELS, label
from twoins.gateway.console.plan_pdf import plan_pdf
from twoins.v1 import business_plan_pb2 as pb
from twoins.v1 import business_plan_pb2_grpc, organisation_pb2

STAFF = (FACILITATOR, CLUSTER_MANAGER)
Service = business_plan_pb2_grpc.BusinessPlanServiceStub
SECTION_LENGTH = 20_000
#: The plan's financial years: year 1 to 3 of the plan.
YEARS = 3
FIGURES = ("revenue", "costs", "investment", "export")


def _get(principal: Principal, plan_id: str, revision: int = 0) -> pb.BusinessPlan:
    return call(
        principal,
        Service,
        "GetBusinessPlan",
        pb.GetBusinessPlanRequest(id=plan_id, revision=revision),
        pb.GetBusinessPlanResponse,
    ).business_plan


def _values(plan: pb.BusinessPlan) -> dict[str, str]:
    values = {"title": plan.title, "base_revision": str(plan.revision)}
    for section in plan.sections:
        values[f"section_{section.kind}"] = section.content
    for year in plan.financial_years:
        index = year.year - 1
        values[f"revenue_{index}"] = str(year.revenue_eur)
        values[f"costs_{index}"] = str(year.operating_costs_eur)
        values[f"investment_{index}"] = str(year.investment_eur)
        values[f"export_{index}"] = str(year.export_share_percent)
    return values


def _plan_from(form: Form) -> pb.BusinessPlan:
    plan = pb.BusinessPlan(title=form.text("title", required=True, max_length=200))
    for kind in LABELS["section"]:
        content = form.text(f"section_{kind}", max_length=SECTION_LENGTH)
        if content:
            plan.sections.append(pb.PlanSection(kind=kind, content=content))  # type: ignore[arg-type]
    for index in range(YEARS):
        if not any(form.get(f"{figure}_{index}") for figure in FIGURES):
            continue
        plan.financial_years.append(
            pb.FinancialYear(
                year=index + 1,
                revenue_eur=form.integer(f"revenue_{index}", maximum=10**12),
                operating_costs_eur=form.integer(f"costs_{index}", maximum=10**12),
                investment_eur=form.integer(f"investment_{index}", maximum=10**12),
                export_share_percent=form.integer(f"export_{index}", maximum=100),
            )
        )
    return plan


def _editor(
    principal: Principal,
    organisation: organisation_pb2.Organisation,
    form: Form,
    plan_id: str = "",
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "plan_form.html",
        user=principal,
        organisation=organisation,
        form=form,
        plan_id=plan_id,
        sections=[(kind, text) for kind, text in LABELS["section"].items()],
        years=range(YEARS),
    ), status


def _form_fields() -> dict[str, str]:
    """Where the node's field errors go on the editor."""
    fields = {"business_plan.title": "title", "base_revision": "title"}
    for index in range(YEARS):
        where = f"business_plan.financial_years[{index}]"
        fields[f"{where}.revenue_eur"] = f"revenue_{index}"
        fields[f"{where}.operating_costs_eur"] = f"costs_{index}"
        fields[f"{where}.investment_eur"] = f"investment_{index}"
        fields[f"{where}.export_share_percent"] = f"export_{index}"
    return fields


@console.route("/console/smes/<organisation_id>/plans/new", methods=["GET", "POST"])
def new_plan(organisation_id: str) -> BaseResponse | tuple[str, int]:
    principal = user(*STAFF)
    organisation = organisation_of(principal, organisation_id)
    if request.method == "GET":
        return _editor(principal, organisation, Form(values={"request_id": str(uuid.uuid4())}))
    posted(*STAFF)
    form = Form.posted()
    plan = _plan_from(form)
    plan.organisation_id = organisation_id
    if not form.ok:
        return _editor(principal, organisation, form, status=400)
    created = submit(
        principal,
        Service,
        "CreateBusinessPlan",
        pb.CreateBusinessPlanRequest(business_plan=plan, request_id=form.get("request_id")),
        pb.CreateBusinessPlanResponse,
        form,
        _form_fields(),
    )
    if created is None:
        return _editor(principal, organisation, form, status=form.status)
    revision = created.business_plan.revision
    flash(_("Business plan saved (revision %(revision)d).", revision=revision))
    return redirect(url_for("console.plan", plan_id=created.business_plan.id))


@console.route("/console/plans/<plan_id>/edit", methods=["GET", "POST"])
def edit_plan(plan_id: str) -> BaseResponse | tuple[str, int]:
    principal = user(*STAFF)
    latest = _get(principal, plan_id)
    organisation = organisation_of(principal, latest.organisation_id)
    if request.method == "GET":
        return _editor(principal, organisation, Form(values=_values(latest)), plan_id)
    posted(*STAFF)
    form = Form.posted()
    plan = _plan_from(form)
    plan.id = plan_id
    base = form.integer("base_revision", minimum=1, required=True)
    if not form.ok:
        return _editor(principal, organisation, form, plan_id, 400)
    saved = submit(
        principal,
        Service,
        "UpdateBusinessPlan",
        pb.UpdateBusinessPlanRequest(business_plan=plan, base_revision=base),
        pb.UpdateBusinessPlanResponse,
        form,
        _form_fields(),
    )
    if saved is None:
        return _editor(principal, organisation, form, plan_id, form.status)
    revision = saved.business_plan.revision
    flash(_("Business plan saved (revision %(revision)d).", revision=revision))
    return redirect(url_for("console.plan", plan_id=plan_id))


def _revisions(principal: Principal, plan_id: str) -> list[pb.BusinessPlan]:
    return list(
        call(
            principal,
            Service,
            "ListBusinessPlanRevisions",
            pb.ListBusinessPlanRevisionsRequest(id=plan_id, page_size=100),
            pb.ListBusinessPlanRevisionsResponse,
        ).business_plans
    )


def _revision_arg(name: str) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else 0


@console.get("/console/plans/<plan_id>")
def plan(plan_id: str) -> str:
    principal = user(*STAFF)
    shown = _get(principal, plan_id, _revision_arg("revision"))
    return render_template(
        "plan.html",
        user=principal,
        plan=shown,
        organisation=organisation_of(principal, shown.organisation_id),
        revisions=_revisions(principal, plan_id),
        section_label=lambda kind: label("section", kind),
    )


def section_changes(old: pb.BusinessPlan, new: pb.BusinessPlan) -> list[tuple[str, list[str]]]:
    """Per changed section, a line diff from the older revision to the newer."""
    before = {section.kind: section.content for section in old.sections}
    after = {section.kind: section.content for section in new.sections}
    changes = []
    for kind in LABELS["section"]:
        if before.get(kind, "") == after.get(kind, ""):  # type: ignore[call-overload]
            continue
        lines = difflib.unified_diff(
            before.get(kind, "").splitlines(),  # type: ignore[call-overload]
            after.get(kind, "").splitlines(),  # type: ignore[call-overload]
            lineterm="",
            n=2,
        )
        changes.append(
            (label("section", kind), [line for line in lines if line[:3] not in ("---", "+++")])
        )
    return changes


@console.get("/console/plans/<plan_id>/compare")
def compare_plan(plan_id: str) -> str:
    principal = user(*STAFF)
    older = _get(principal, plan_id, _revision_arg("from"))
    newer = _get(principal, plan_id, _revision_arg("to"))
    if older.revision > newer.revision:
        older, newer = newer, older
    return render_template(
        "plan_compare.html",
        user=principal,
        older=older,
        newer=newer,
        changes=section_changes(older, newer),
        revisions=_revisions(principal, plan_id),
    )


@console.get("/console/plans/<plan_id>/export.pdf")
def export_plan(plan_id: str) -> Response:
    principal = user(*STAFF)
    shown = _get(principal, plan_id, _revision_arg("revision"))
    organisation = organisation_of(principal, shown.organisation_id)
    content = plan_pdf(shown, organisation.legal_name)
    name = f"business-plan-{plan_id[:8]}-r{shown.revision}.pdf"
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
