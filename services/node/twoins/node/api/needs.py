"""NeedService: the region's needs through their lifecycle."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

import grpc
from google.protobuf.message import Message

from twoins.node.api.access import current_principal
from twoins.node.api.request_checks import mask_paths, require_id
from twoins.node.bus.events import anonymised_need_to_proto, need_events
from twoins.node.context import NodeContext
from twoins.node.domain.anonymiser.generalise import generalise
from twoins.node.domain.anonymiser.publication import (
    AnonymisedNeed,
    GuardDecision,
    ScrubbedTexts,
    anonymise_need,
    k_anonymity_counted,
    scrub_need_texts,
)
from twoins.node.domain.audit import NETWORK, digest
from twoins.node.domain.errors import (
    FailedPrecondition,
    FieldViolation,
    IllegalTransition,
    InvalidArgument,
    NodeError,
)
from twoins.node.domain.need import (
    UPDATABLE_FIELDS,
    Need,
    NeedAction,
    NeedState,
    hold_back,
    transition,
    validate_need,
)
from twoins.node.domain.notes import Note
from twoins.node.domain.organisation import ConsentPurpose, Organisation
from twoins.node.messages.convert import enums_from_proto, need_from_proto, need_to_proto
from twoins.node.messages.embedding import embedded_text
from twoins.node.notify.notifier import need_record
from twoins.node.store.pagination import next_page_token, page_request
from twoins.node.store.repositories import Repositories
from twoins.v1 import need_pb2 as pb
from twoins.v1 import need_pb2_grpc

logger = logging.getLogger(__name__)

#: Why a need whose text the anonymiser could not process stays in review.
ANONYMISER_FAILED = (
    "held for review: the anonymiser could not process this need's text, so nothing of it "
    "left the region; edit the text and publish again, or report the need's id to the "
    "network's maintainers"
)

#: The longest reason a cluster manager may give for publishing a held need.
MAX_OVERRIDE_REASON = 500


class NeedServicer(need_pb2_grpc.NeedServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def CreateNeed(
        self, request: pb.CreateNeedRequest, context: grpc.ServicerContext
    ) -> pb.CreateNeedResponse:
        now = self._node.clock()

        def create(repositories: Repositories, new_id: str) -> Need:
            need = validate_need(
                need_from_proto(request.need, id=new_id, region=self._node.region.id, now=now),
                self._node.codes,
                now,
            )
            require_id(need.organisation_id, "need.organisation_id")
            repositories.organisations.get(need.organisation_id)
            repositories.needs.add(need)
            self._follow(repositories, need.id)
            return need

        def load(repositories: Repositories, first_id: str) -> Need:
            return repositories.needs.get(first_id)

        need = self._node.create_once("CreateNeed", request, request.request_id, create, load)
        return pb.CreateNeedResponse(need=need_to_proto(need))

    def GetNeed(
        self, request: pb.GetNeedRequest, context: grpc.ServicerContext
    ) -> pb.GetNeedResponse:
        need_id = require_id(request.id)
        with self._node.store.read() as repositories:
            need = repositories.needs.get(need_id)
        return pb.GetNeedResponse(need=need_to_proto(need))

    def ListNeeds(
        self, request: pb.ListNeedsRequest, context: grpc.ServicerContext
    ) -> pb.ListNeedsResponse:
        organisation_id = (
            require_id(request.organisation_id, "organisation_id")
            if request.organisation_id
            else ""
        )
        states = enums_from_proto(NeedState, request.states, "states")
        page = page_request(
            request.page_size,
            request.page_token,
            ("needs", organisation_id, sorted(state.name for state in states)),
        )
        with self._node.store.read() as repositories:
            needs, last, more = repositories.needs.page(page, organisation_id, states)
        return pb.ListNeedsResponse(
            needs=[need_to_proto(need) for need in needs],
            next_page_token=next_page_token(page, last, more),
        )

    def UpdateNeed(
        self, request: pb.UpdateNeedRequest, context: grpc.ServicerContext
    ) -> pb.UpdateNeedResponse:
        need_id = require_id(request.need.id, "need.id")
        paths = mask_paths(request.update_mask, "need", UPDATABLE_FIELDS)
        now = self._node.clock()
        with self._node.store.write() as repositories:
            current = repositories.needs.get(need_id, for_update=True)
            if current.state is not NeedState.DRAFT:
                raise IllegalTransition(
                    f"only a DRAFT need can be edited; this one is {current.state.name}"
                    + (
                        "; return it to draft first" if current.state is NeedState.IN_REVIEW else ""
                    ),
                    metadata={"state": current.state.name},
                )
            given = need_from_proto(request.need, id=current.id, region=current.region, now=now)
            changed = replace(
                current, **{path: getattr(given, path) for path in paths}, update_time=now
            )
            need = validate_need(changed, self._node.codes, now)
            repositories.needs.save(need)
        return pb.UpdateNeedResponse(need=need_to_proto(need))

    def _transition(self, need_id: str, action: NeedAction, reason: str = "") -> pb.Need:
        checked_id = require_id(need_id)
        now = self._node.clock()
        with self._node.store.write() as repositories:
            before = repositories.needs.get(checked_id, for_update=True)
            need = transition(before, action, now, reason)
            repositories.needs.save(need)
            self._node.emit(repositories, need_events(before, need, None))
            if action is NeedAction.SUBMIT:
                self._follow(repositories, need.id)
            if action is NeedAction.RETURN and self._node.notifier is not None:
                self._node.notifier.need_returned(
                    repositories, need, reason, f"{need.id}:{now.isoformat()}"
                )
        return need_to_proto(need)

    def _follow(self, repositories: Repositories, need_id: str) -> None:
        """Whoever writes or submits a need hears of it: returned, referred, answered."""
        principal = current_principal()
        self._node.follow(
            repositories, need_record(need_id), principal.subject if principal else None
        )

    def _guard(self, repositories: Repositories, need: Need) -> tuple[GuardDecision, Organisation]:
        """The k-anonymity guard's decision on the need's SME, and the SME."""
        organisation = repositories.organisations.get(need.organisation_id)
        nuts2 = self._node.region.nuts2
        decision = k_anonymity_counted(
            generalise(organisation, nuts2),
            repositories.organisations.profiles.count,
            self._node.k_anonymity,
        )
        return decision, organisation

    def _language(self, need: Need) -> str:
        return need.languages[0] if need.languages else self._node.region.languages[0]

    def _anonymise(
        self,
        need: Need,
        organisation: Organisation,
        decision: GuardDecision,
        ahead: ScrubbedAhead | None = None,
    ) -> AnonymisedNeed:
        language = self._language(need)
        return anonymise_need(
            need,
            organisation,
            self._node.region.nuts2,
            language,
            decision.profile,
            self._node.localities,
            ahead.texts_for(need, organisation, language) if ahead is not None else None,
        )

    def _anonymise_or_none(
        self,
        need: Need,
        organisation: Organisation,
        decision: GuardDecision,
        ahead: ScrubbedAhead | None = None,
    ) -> AnonymisedNeed | None:
        """The copy that would leave, or None when the anonymiser fails on the need: a
        failure holds the need back, it never lets the raw text through."""
        try:
            return self._anonymise(need, organisation, decision, ahead)
        except Exception:
            logger.exception("the anonymiser failed on need %s; it is held for review", need.id)
            return None

    def _scrub_ahead(self, need_id: str, override: bool) -> ScrubbedAhead | None:
        """The need's texts scrubbed, and embedded when it is to leave, before its
        publication's write transaction: both cost milliseconds of CPU (an embedding tens),
        and inside the transaction they would hold the region's one writer (the relay, the
        bus consumer, every other change) as long. The transaction uses the texts only if
        the need's texts and its SME read the same there, and finds the embedding among the
        embedder's recent ones only if its text is the same; None when they cannot be read
        or scrubbed here (the transaction then finds out why, and says it)."""
        try:
            with self._node.store.read() as repositories:
                need = repositories.needs.get(need_id)
                decision, organisation = self._guard(repositories, need)
        except NodeError:
            return None
        if need.state is not NeedState.IN_REVIEW or not organisation.has_consent(
            ConsentPurpose.NETWORK_SHARING
        ):
            return None  # refused in the transaction: no CPU spent on it here
        language = self._language(need)
        try:
            texts = scrub_need_texts(need, organisation, language, self._node.localities)
        except Exception:
            return None  # scrubbed again in the transaction, which holds the need back
        embedder = self._node.embedder
        if embedder is not None and (override or not (decision.holds_back or texts.residuals)):
            embedder.embed_bytes(embedded_text(texts.title, texts.description, *texts.keywords))
        return ScrubbedAhead(
            need.title, need.description, need.keywords, language, organisation, texts
        )

    def SubmitNeed(
        self, request: pb.SubmitNeedRequest, context: grpc.ServicerContext
    ) -> pb.SubmitNeedResponse:
        return pb.SubmitNeedResponse(need=self._transition(request.id, NeedAction.SUBMIT))

    def ReturnNeed(
        self, request: pb.ReturnNeedRequest, context: grpc.ServicerContext
    ) -> pb.ReturnNeedResponse:
        return pb.ReturnNeedResponse(
            need=self._transition(request.id, NeedAction.RETURN, request.reason)
        )

    def PublishNeed(
        self, request: pb.PublishNeedRequest, context: grpc.ServicerContext
    ) -> pb.PublishNeedResponse:
        need_id = require_id(request.id)
        override_reason = request.override_reason.strip()
        if request.override_k_anonymity and not override_reason:
            raise InvalidArgument(
                "say why the held need is published anyway: the reason goes into the "
                "region's audit log",
                violations=(FieldViolation("override_reason", "required with the override"),),
            )
        if len(override_reason) > MAX_OVERRIDE_REASON:
            raise InvalidArgument(
                f"the reason is too long: at most {MAX_OVERRIDE_REASON} characters",
                violations=(FieldViolation("override_reason", "too long"),),
            )
        ahead = self._scrub_ahead(need_id, request.override_k_anonymity)
        now = self._node.clock()
        with self._node.store.write() as repositories:
            before = repositories.needs.get(need_id, for_update=True)
            if before.state is not NeedState.IN_REVIEW:
                transition(before, NeedAction.PUBLISH, now)  # raises the usual refusal
            decision, organisation = self._guard(repositories, before)
            if not organisation.has_consent(ConsentPurpose.NETWORK_SHARING):
                raise FailedPrecondition(
                    "the SME has not consented to sharing its anonymised needs with the "
                    "network; record its consent first",
                    reason="CONSENT_REQUIRED",
                    metadata={"organisation_id": organisation.id},
                )
            # Fail closed: what the anonymiser is unsure of is held, not sent; so is a need
            # it fails on, override or not.
            preview = self._anonymise_or_none(before, organisation, decision, ahead)
            if preview is None:
                need = hold_back(before, ANONYMISER_FAILED, Note("HELD_ANONYMISER_FAILED"), now)
                repositories.needs.save(need)
                return pb.PublishNeedResponse(need=need_to_proto(need))
            unsure = preview.residuals
            if (decision.holds_back or unsure) and not request.override_k_anonymity:
                if decision.holds_back:
                    need = hold_back(before, decision.reason(), decision.note(), now)
                else:
                    need = hold_back(
                        before, preview.residual_reason(), preview.residual_note(), now
                    )
                repositories.needs.save(need)
                return pb.PublishNeedResponse(need=need_to_proto(need))
            overridden = []
            note_params: dict[str, object] = {}
            if decision.holds_back:
                overridden.append(
                    f"only {decision.matching_smes} SME(s) share its profile (k={decision.k})"
                )
                note_params.update(matching_smes=decision.matching_smes, k=decision.k)
            if unsure:
                overridden.append(f"{len(unsure)} part(s) of its text withheld as unsure")
                note_params.update(withheld=len(unsure))
            reason = (
                "published by the cluster manager's decision although "
                + " and ".join(overridden)
                + f": {override_reason}"
                if overridden
                else f"published with {decision.widened}, so that {decision.matching_smes} SMEs "
                f"of the region share its profile (k={decision.k})"
                if decision.level
                else ""
            )
            note = (
                Note.of("PUBLISHED_OVERRIDE", reason=override_reason, **note_params)
                if overridden
                else decision.widened_note()
                if decision.level
                else None
            )
            need = transition(before, NeedAction.PUBLISH, now, reason, note)
            anonymised = self._anonymise(need, organisation, decision, ahead)
            repositories.needs.save(need)
            events = need_events(before, need, anonymised)
            self._node.emit(repositories, events)
            if overridden:
                self._record_override(repositories, need, overridden, override_reason, events, now)
        return pb.PublishNeedResponse(need=need_to_proto(need))

    def _record_override(
        self,
        repositories: Repositories,
        need: Need,
        overridden: list[str],
        reason: str,
        events: list[Message],
        now: datetime,
    ) -> None:
        """The cluster manager's decision in the audit log: who, what the guard said, why,
        and the digest of exactly what left."""
        principal = current_principal()
        repositories.audit.append(
            time=now,
            kind="publication.override",
            referral_id=need.id,
            counterpart=NETWORK,
            actor=principal.subject if principal is not None else f"node:{self._node.region.id}",
            consent="cluster manager's decision",
            data_digest=digest(b"".join(event.SerializeToString() for event in events)),
            sign=self._node.audit_signer,
            note=f"{'; '.join(overridden)} — {reason}",
        )

    def PreviewNeedPublication(
        self, request: pb.PreviewNeedPublicationRequest, context: grpc.ServicerContext
    ) -> pb.PreviewNeedPublicationResponse:
        need_id = require_id(request.id)
        with self._node.store.read() as repositories:
            need = repositories.needs.get(need_id)
            decision, organisation = self._guard(repositories, need)
            anonymised = self._anonymise_or_none(need, organisation, decision)
        if anonymised is None:
            raise FailedPrecondition(ANONYMISER_FAILED, reason="ANONYMISER_FAILED")
        return pb.PreviewNeedPublicationResponse(
            anonymised_need=anonymised_need_to_proto(anonymised),
            matching_smes=decision.matching_smes,
            k=decision.k,
            would_hold_back=decision.holds_back or bool(anonymised.residuals),
            residuals=[
                pb.PublicationResidual(
                    field=field, start=residual.start, end=residual.end, kind=residual.kind
                )
                for field, residual in anonymised.residuals
            ],
        )

    def MatchNeed(
        self, request: pb.MatchNeedRequest, context: grpc.ServicerContext
    ) -> pb.MatchNeedResponse:
        return pb.MatchNeedResponse(
            need=self._transition(request.id, NeedAction.MATCH, request.reason)
        )

    def CloseNeed(
        self, request: pb.CloseNeedRequest, context: grpc.ServicerContext
    ) -> pb.CloseNeedResponse:
        return pb.CloseNeedResponse(
            need=self._transition(request.id, NeedAction.CLOSE, request.reason)
        )

    def WithdrawNeed(
        self, request: pb.WithdrawNeedRequest, context: grpc.ServicerContext
    ) -> pb.WithdrawNeedResponse:
        return pb.WithdrawNeedResponse(
            need=self._transition(request.id, NeedAction.WITHDRAW, request.reason)
        )


def expire_due_needs(node: NodeContext, now: datetime, batch: int = 100) -> int:
    """Moves every open need whose expiry time has passed to EXPIRED; returns how many."""
    expired = 0
    while True:
        with node.store.write() as repositories:
            due = repositories.needs.expired_ids(now, batch)
            for need_id in due:
                before = repositories.needs.get(need_id, for_update=True)
                need = transition(
                    before, NeedAction.EXPIRE, now, "expiry time passed", Note("EXPIRED")
                )
                repositories.needs.save(need)
                node.emit(repositories, need_events(before, need, None))
        expired += len(due)
        if len(due) < batch:
            return expired


@dataclass(frozen=True)
class ScrubbedAhead:
    """A need's texts scrubbed outside the write transaction, with what they were scrubbed
    from: the need's texts, the language and the SME's record."""

    title: str
    description: str
    keywords: tuple[str, ...]
    language: str
    organisation: Organisation
    texts: ScrubbedTexts

    def texts_for(
        self, need: Need, organisation: Organisation, language: str
    ) -> ScrubbedTexts | None:
        """The scrubbed texts if they were scrubbed from exactly these; else None."""
        same = (
            need.title == self.title
            and need.description == self.description
            and need.keywords == self.keywords
            and language == self.language
            and organisation == self.organisation
        )
        return self.texts if same else None
