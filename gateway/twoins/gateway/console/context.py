"""What the console's pages share: the signed-in user with the roles a page needs, calls to the
node of the user's region, and forms that keep what was typed and show errors by field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import current_app, flash, g, request
from flask_babel import gettext as _
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from twoins.common.auth import Principal
from twoins.gateway.auth import signed_in_principal
from twoins.gateway.console.notes import refusal_text, violation_text
from twoins.gateway.problems import Problem
from twoins.gateway.security import check_csrf
from twoins.gateway.services import services
from twoins.v1 import organisation_pb2, organisation_pb2_grpc

M = TypeVar("M", bound=Message)


def user(*roles: str) -> Principal:
    """The signed-in user, who must hold one of `roles` and belong to a region."""
    principal = signed_in_principal()
    if roles and not principal.has_role(*roles):
        raise Problem(403, _("Your role does not give access to this page."))
    if not principal.region:
        raise Problem(403, _("This page is for the staff of a region; your account has none."))
    return principal


def catalogue_reader(*roles: str) -> Principal:
    """The signed-in user for a page of the network's anonymised catalogue: one of `roles`,
    of a region or not (the network coordinator belongs to none; every node holds the same
    catalogue, and the lead region's answers)."""
    principal = signed_in_principal()
    if not principal.has_role(*roles):
        raise Problem(403, _("Your role does not give access to this page."))
    return principal


def posted(*roles: str) -> Principal:
    """`user` for a form post, after its CSRF token is checked."""
    principal = user(*roles)
    check_csrf()
    return principal


def call(principal: Principal, stub: Any, method: str, message: Message, response: type[M]) -> M:
    """One RPC on the node of the user's region (the lead region's for a user of none, who
    may only read the network's catalogue), with the user's token."""
    region = principal.region or str(current_app.config["TWOINS_LEAD_REGION"])
    answer = services().nodes.call(
        region, stub, method, message, token=principal.token, request_id=g.request_id
    )
    if not isinstance(answer, response):
        raise Problem(502, f"the node answered {method} with an unexpected message")
    return answer


def organisation_of(principal: Principal, organisation_id: str) -> organisation_pb2.Organisation:
    """An SME of the user's region (its pages' headings and links name it)."""
    return call(
        principal,
        organisation_pb2_grpc.OrganisationServiceStub,
        "GetOrganisation",
        organisation_pb2.GetOrganisationRequest(id=organisation_id),
        organisation_pb2.GetOrganisationResponse,
    ).organisation


def step(
    principal: Principal,
    stub: Any,
    method: str,
    message: Message,
    response: type[Message],
    done: object,
) -> None:
    """One lifecycle step from a button: `done` is shown on success, the node's reason for a
    refusal as an error (a node failure still raises)."""
    try:
        call(principal, stub, method, message, response)
    except Problem as problem:
        if problem.status >= 500:
            raise
        flash(refusal_text(problem), "error")
    else:
        flash(str(done))


def submit(
    principal: Principal,
    stub: Any,
    method: str,
    message: Message,
    response: type[M],
    form: Form,
    fields: Mapping[str, str],
) -> M | None:
    """A checked form sent to the node: its answer, or None with the refusal on the form."""
    try:
        return call(principal, stub, method, message, response)
    except Problem as problem:
        if problem.status >= 500:
            raise
        form.take(problem, fields)
        form.status = problem.status
        return None


def when(stamp: Timestamp) -> Any:
    """A timestamp as a datetime for the templates' date filters; None when unset."""
    return stamp.ToDatetime() if stamp.seconds or stamp.nanos else None


_SPLIT = re.compile(r"[,;\n]")


@dataclass
class Form:
    """A posted form's values as typed, and what is wrong with them, field by field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    #: A problem not tied to one field, shown above the form.
    message: str = ""
    #: The HTTP status of the page that shows the form again.
    status: int = 400
    #: Each field's label, as the page shows it: the summary of errors names the fields.
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def posted(cls) -> Form:
        return cls(values={key: value.strip() for key, value in request.form.items()})

    @property
    def ok(self) -> bool:
        return not self.errors and not self.message

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def label_for(self, name: str, text: str) -> str:
        """Records a field's label as the page renders it; renders nothing."""
        self.labels[name] = str(text)
        return ""

    def text(self, name: str, *, required: bool = False, max_length: int = 500) -> str:
        value = self.values.get(name, "")
        if required and not value:
            self.errors[name] = _("Fill this in.")
        elif len(value) > max_length:
            self.errors[name] = _("At most %(count)d characters.", count=max_length)
        return value

    def integer(
        self, name: str, *, minimum: int = 0, maximum: int = 2**31 - 1, required: bool = False
    ) -> int:
        value = self.values.get(name, "")
        if not value:
            if required:
                self.errors[name] = _("Fill this in.")
            return 0
        try:
            number = int(value.replace(" ", "").replace("_", ""))
        except ValueError:
            self.errors[name] = _("Enter a whole number.")
            return 0
        if not minimum <= number <= maximum:
            self.errors[name] = _(
                "Enter a number from %(minimum)d to %(maximum)d.", minimum=minimum, maximum=maximum
            )
            return 0
        return number

    def choice(self, name: str, options: Iterable[int], *, required: bool = True) -> int:
        value = self.values.get(name, "")
        if not value and not required:
            return 0
        try:
            number = int(value)
        except ValueError:
            number = -1
        if number not in set(options):
            self.errors[name] = _("Choose one of the options.")
            return 0
        return number

    def items(self, name: str, *, required: bool = False, max_items: int = 20) -> list[str]:
        """A list typed as comma- or line-separated items."""
        found = [item.strip() for item in _SPLIT.split(self.values.get(name, "")) if item.strip()]
        if required and not found:
            self.errors[name] = _("Give at least one.")
        elif len(found) > max_items:
            self.errors[name] = _("At most %(count)d items.", count=max_items)
        return found

    def checked(self, name: str) -> bool:
        return name in request.form

    def take(self, problem: Problem, fields: Mapping[str, str]) -> None:
        """Puts a node's refusal next to the fields it names (`fields`: request field path →
        form field); what names no field of the form goes above it."""
        placed = False
        for error in problem.errors:
            path = error.get("field", "")
            target = fields.get(path) or fields.get(path.split("[")[0])
            if target is None:
                # The path's last part, e.g. "organisation.address.locality" → "locality".
                last = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]
                target = last if last in self.values or last in fields.values() else None
            if target is not None:
                self.errors.setdefault(target, violation_text(error))
                placed = True
        if not placed or problem.status != 400:
            self.message = refusal_text(problem)
