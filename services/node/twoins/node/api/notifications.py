"""NotificationService: each person's mail settings and saved searches, the region's mails for
its cluster manager, and the unsubscribe links that work without a sign-in."""

from __future__ import annotations

import uuid
from dataclasses import replace

import grpc

from twoins.common import taxonomy
from twoins.node.api.access import current_principal
from twoins.node.api.request_checks import require_id
from twoins.node.context import NodeContext
from twoins.node.domain.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Unauthenticated,
    Violations,
)
from twoins.node.domain.notification import (
    MAX_SAVED_SEARCHES,
    AlertFrequency,
    MailState,
    NotificationKind,
    SavedSearch,
    SearchTarget,
    check_saved_search,
)
from twoins.node.messages.convert import enum_from_proto
from twoins.node.messages.notifications import (
    mail_to_proto,
    saved_search_to_proto,
    settings_to_proto,
)
from twoins.node.notify.links import BadLink
from twoins.node.notify.notifier import Notifier
from twoins.node.notify.render import LANGUAGES
from twoins.node.store.pagination import next_page_token, page_request
from twoins.v1 import notification_pb2 as pb
from twoins.v1 import notification_pb2_grpc


class NotificationServicer(notification_pb2_grpc.NotificationServiceServicer):
    def __init__(self, node: NodeContext) -> None:
        self._node = node

    def _notifier(self) -> Notifier:
        if self._node.notifier is None:
            raise FailedPrecondition(
                "this node sends no mail: its operator sets smtp_host (TWOINS_SMTP_HOST) to the "
                "region's mail relay",
                reason="MAIL_NOT_CONFIGURED",
            )
        return self._node.notifier

    def _subject(self) -> str:
        self._notifier()
        principal = current_principal()
        if principal is None:
            raise Unauthenticated("notification settings are a person's: sign in first")
        return principal.subject

    def GetNotificationSettings(
        self, request: pb.GetNotificationSettingsRequest, context: grpc.ServicerContext
    ) -> pb.GetNotificationSettingsResponse:
        subject = self._subject()
        with self._node.store.read() as repositories:
            person = repositories.people.get(subject)
        return pb.GetNotificationSettingsResponse(settings=settings_to_proto(person))

    def UpdateNotificationSettings(
        self, request: pb.UpdateNotificationSettingsRequest, context: grpc.ServicerContext
    ) -> pb.UpdateNotificationSettingsResponse:
        subject = self._subject()
        given = request.settings
        violations = Violations()
        if given.language and given.language not in LANGUAGES:
            violations.add(
                "settings.language",
                f"mails are written in {', '.join(LANGUAGES)}; or leave it empty",
            )
        muted = set()
        for index, value in enumerate(given.muted_kinds):
            field = f"settings.muted_kinds[{index}]"
            if value == 0:
                violations.add(field, "not a kind of mail")
                continue
            try:
                muted.add(enum_from_proto(NotificationKind, value, field))
            except InvalidArgument:
                violations.add(field, f"unknown kind of mail {value}")
        violations.raise_if_any("the notification settings are not valid")
        frequency = _frequency(given.alert_frequency, "settings.alert_frequency")
        with self._node.store.write() as repositories:
            person = repositories.people.get(subject)
            saved = repositories.people.save_settings(
                replace(
                    person,
                    enabled=given.enabled,
                    muted_kinds=frozenset(muted),
                    language=given.language,
                    alert_frequency=frequency,
                ),
                self._node.clock(),
            )
        return pb.UpdateNotificationSettingsResponse(settings=settings_to_proto(saved))

    def CreateSavedSearch(
        self, request: pb.CreateSavedSearchRequest, context: grpc.ServicerContext
    ) -> pb.CreateSavedSearchResponse:
        subject = self._subject()
        given = request.saved_search
        if not given.target:
            raise InvalidArgument(
                "say what the search finds: needs or expert offers",
                violations=(FieldViolation("saved_search.target", "required"),),
            )
        target = enum_from_proto(SearchTarget, given.target, "saved_search.target")
        violations = Violations()
        nace = country = language = ""
        try:
            nace = (
                self._node.codes.nace_division(given.nace_division) if given.nace_division else ""
            )
        except taxonomy.UnknownCode as error:
            violations.add("saved_search.nace_division", str(error))
        try:
            country = self._node.codes.country(given.country) if given.country else ""
        except taxonomy.UnknownCode as error:
            violations.add("saved_search.country", str(error))
        try:
            language = self._node.codes.language(given.language) if given.language else ""
        except taxonomy.UnknownCode as error:
            violations.add("saved_search.language", str(error))
        violations.raise_if_any("the saved search is not valid")
        with self._node.store.write() as repositories:
            person = repositories.people.get(subject)
            search = SavedSearch(
                id=str(uuid.uuid4()),
                subject=subject,
                target=target,
                query=" ".join(given.query.split()),
                nace_division=nace,
                country=country,
                language=language,
                frequency=(
                    _frequency(given.frequency, "saved_search.frequency")
                    if given.frequency
                    else person.alert_frequency
                ),
            )
            check_saved_search(search)
            if repositories.saved_searches.count_of(subject) >= MAX_SAVED_SEARCHES:
                raise FailedPrecondition(
                    f"you keep {MAX_SAVED_SEARCHES} saved searches already: delete one first",
                    reason="TOO_MANY_SAVED_SEARCHES",
                )
            saved = repositories.saved_searches.add(search, self._node.clock())
        return pb.CreateSavedSearchResponse(saved_search=saved_search_to_proto(saved))

    def ListSavedSearches(
        self, request: pb.ListSavedSearchesRequest, context: grpc.ServicerContext
    ) -> pb.ListSavedSearchesResponse:
        subject = self._subject()
        with self._node.store.read() as repositories:
            searches = repositories.saved_searches.of_person(subject)
        return pb.ListSavedSearchesResponse(
            saved_searches=[saved_search_to_proto(search) for search in searches]
        )

    def DeleteSavedSearch(
        self, request: pb.DeleteSavedSearchRequest, context: grpc.ServicerContext
    ) -> pb.DeleteSavedSearchResponse:
        subject = self._subject()
        search_id = require_id(request.id)
        with self._node.store.write() as repositories:
            search = repositories.saved_searches.find(search_id)
            if search is None or search.subject != subject:
                raise NotFound(f"saved search {search_id} not found")
            repositories.saved_searches.delete(search_id)
        return pb.DeleteSavedSearchResponse()

    def ListMails(
        self, request: pb.ListMailsRequest, context: grpc.ServicerContext
    ) -> pb.ListMailsResponse:
        self._notifier()
        state = enum_from_proto(MailState, request.state, "state") if request.state else None
        page = page_request(request.page_size, request.page_token, ("mails", request.state))
        with self._node.store.read() as repositories:
            mails, last, more = repositories.mails.page(page, state)
            counts = repositories.mails.counts()
        return pb.ListMailsResponse(
            mails=[mail_to_proto(mail) for mail in mails],
            next_page_token=next_page_token(page, last, more),
            counts=counts,
        )

    def Unsubscribe(
        self, request: pb.UnsubscribeRequest, context: grpc.ServicerContext
    ) -> pb.UnsubscribeResponse:
        notifier = self._notifier()
        if not request.token or len(request.token) > 1000:
            raise InvalidArgument(
                "the unsubscribe link has no token",
                violations=(FieldViolation("token", "required"),),
            )
        try:
            wanted = notifier.links.read(request.token)
        except BadLink as error:
            raise InvalidArgument(
                f"{error}: open the link from the mail as it came, or change your settings in "
                "the console",
                reason="BAD_UNSUBSCRIBE_LINK",
            ) from None
        with self._node.store.write() as repositories:
            person = repositories.people.find(wanted.subject)
            if person is None:
                raise NotFound("the person of this link is no longer known here")
            if wanted.saved_search_id:
                search = repositories.saved_searches.find(wanted.saved_search_id)
                if search is not None and search.subject == person.subject:
                    repositories.saved_searches.delete(search.id)
                turned_off = f"saved search {search.query if search else wanted.saved_search_id}"
            else:
                kind = NotificationKind.__members__.get(wanted.kind)
                if kind is None:
                    raise InvalidArgument("the unsubscribe link names no kind of mail")
                repositories.people.save_settings(
                    replace(person, muted_kinds=person.muted_kinds | {kind}), self._node.clock()
                )
                turned_off = kind.name
        return pb.UnsubscribeResponse(turned_off=turned_off, email=person.email)


def _frequency(value: int, field: str) -> AlertFrequency:
    return enum_from_proto(AlertFrequency, value, field) if value else AlertFrequency.IMMEDIATE
