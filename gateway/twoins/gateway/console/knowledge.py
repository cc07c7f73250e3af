"""2InSNet knowledge: browse every region's published items; experts (and cluster managers)
write their own, publish and withdraw them."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from twoins.common.auth import Principal
from twoins.common.realm_config import CLUSTER_MANAGER, EXPERT, FACILITATOR
from twoins.gateway.console.blueprint import console
from twoins.gateway.console.context import Form, call, posted, step, submit, user
from twoins.gateway.console.labels import LABELS, options
from twoins.gateway.problems import Problem
from twoins.v1 import knowledge_pb2 as pb
from twoins.v1 import knowledge_pb2_grpc, network_pb2, network_pb2_grpc

READERS = (FACILITATOR, CLUSTER_MANAGER, EXPERT)
AUTHORS = (EXPERT, CLUSTER_MANAGER)
Service = knowledge_pb2_grpc.KnowledgeServiceStub
FORM_FIELDS = {
    f"knowledge_item.{name}": name
    for name in ("kind", "title", "summary", "body", "languages", "tags", "nace_codes")
}


@console.get("/console/knowledge")
def knowledge() -> str:
    principal = user(*READERS)
    query = request.args.get("q", "").strip()[:200]
    kind = request.args.get("kind", "")
    kinds = [int(kind)] if kind.isdigit() and int(kind) in LABELS["knowledge_kind"] else []
    language = request.args.get("language", "").strip().lower()[:2]
    region = request.args.get("region", "").strip()[:64]
    found = call(
        principal,
        network_pb2_grpc.NetworkServiceStub,
        "SearchKnowledgeItems",
        network_pb2.SearchKnowledgeItemsRequest(
            query=query,
            kinds=kinds,  # type: ignore[arg-type]
            language=language,
            origin_region=region,
            page_size=50,
        ),
        network_pb2.SearchKnowledgeItemsResponse,
    ).items
    return render_template(
        "knowledge.html",
        user=principal,
        items=found,
        filters={"q": query, "kind": kind, "language": language, "region": region},
        kinds=options("knowledge_kind"),
    )


@console.get("/console/knowledge/mine")
def my_knowledge() -> str:
    principal = user(*AUTHORS)
    found = call(
        principal,
        Service,
        "ListKnowledgeItems",
        pb.ListKnowledgeItemsRequest(page_size=100),
        pb.ListKnowledgeItemsResponse,
    ).knowledge_items
    return render_template("knowledge_mine.html", user=principal, items=found)


def _form(principal: Principal, form: Form, status: int = 200) -> tuple[str, int]:
    return render_template(
        "knowledge_form.html", user=principal, form=form, kinds=options("knowledge_kind")
    ), status


@console.route("/console/knowledge/new", methods=["GET", "POST"])
def new_knowledge() -> Response | tuple[str, int]:
    principal = user(*AUTHORS)
    if request.method == "GET":
        return _form(principal, Form(values={"request_id": str(uuid.uuid4())}))
    posted(*AUTHORS)
    form = Form.posted()
    item = pb.KnowledgeItem(
        kind=form.choice("kind", LABELS["knowledge_kind"]),  # type: ignore[arg-type]
        title=form.text("title", required=True, max_length=200),
        summary=form.text("summary", required=True, max_length=1000),
        body=form.text("body", required=True, max_length=20000),
        languages=[item.lower() for item in form.items("languages", required=True)],
        tags=form.items("tags"),
        nace_codes=form.items("nace_codes"),
    )
    if not form.ok:
        return _form(principal, form, 400)
    created = submit(
        principal,
        Service,
        "CreateKnowledgeItem",
        pb.CreateKnowledgeItemRequest(knowledge_item=item, request_id=form.get("request_id")),
        pb.CreateKnowledgeItemResponse,
        form,
        FORM_FIELDS,
    )
    if created is None:
        return _form(principal, form, form.status)
    flash(_("Saved as a draft; publish it to share it with the network."))
    return redirect(url_for("console.knowledge_item", item_id=created.knowledge_item.id))


@console.get("/console/knowledge/<item_id>")
def knowledge_item(item_id: str) -> str:
    principal = user(*AUTHORS)
    found = call(
        principal,
        Service,
        "GetKnowledgeItem",
        pb.GetKnowledgeItemRequest(id=item_id),
        pb.GetKnowledgeItemResponse,
    ).knowledge_item
    return render_template("knowledge_item.html", user=principal, item=found)


MOVES = {
    "publish": (
        "PublishKnowledgeItem",
        pb.PublishKnowledgeItemRequest,
        pb.PublishKnowledgeItemResponse,
    ),
    "withdraw": (
        "WithdrawKnowledgeItem",
        pb.WithdrawKnowledgeItemRequest,
        pb.WithdrawKnowledgeItemResponse,
    ),
}
DONE = {
    "publish": _l("Published: every region can read it now."),
    "withdraw": _l("Withdrawn from the network."),
}


@console.post("/console/knowledge/<item_id>/<move>")
def move_knowledge(item_id: str, move: str) -> Response:
    if move not in MOVES:
        raise Problem(404, _("There is no such step for a knowledge item."))
    principal = posted(*AUTHORS)
    method, request_type, response_type = MOVES[move]
    step(principal, Service, method, request_type(id=item_id), response_type, DONE[move])
    return redirect(url_for("console.knowledge_item", item_id=item_id))
