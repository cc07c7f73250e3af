"""Mail across a referral's life, with two real nodes, the real bus, real Keycloak tokens and a
real SMTP server: each region mails its own people, in their language, what the other side did;
a saved search mails a new match within a minute; a reminder, an escalation and a returned need
reach who they should; an unsubscribe link works without a sign-in and cannot be forged."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import grpc
import pytest
from prometheus_client import generate_latest

from tests.integration.test_disclosure import _state_is, start
from tests.integration.test_exchange import wait_until
from tests.support import builders
from tests.support.identity import Identity
from tests.support.mail import MailCatcher, mail_catcher
from tests.support.nats import NatsServer
from tests.support.postgres import free_port
from twoins.cli.node_client import NodeClient
from twoins.node.api.referrals import follow_up_referrals
from twoins.node.server import NodeServer
from twoins.v1 import (
    common_pb2,
    expert_offer_pb2,
    need_pb2,
    notification_pb2,
    notification_pb2_grpc,
    organisation_pb2,
    referral_pb2,
)

NEED, OFFER = "it-basilicata", "gr-attica"
CONSOLE = "https://console.test"
SME_NAME = "Colucci Meccanica"


@dataclass
class Network:
    nodes: dict[str, NodeServer]
    identity: Identity
    mail: MailCatcher

    def client(self, region: str, user: str) -> NodeClient:
        return NodeClient(
            self.nodes[region].address, partial(self.identity.access_token, f"{user}.{region}")
        )


@pytest.fixture(scope="module")
def network(
    identity: Identity, broker: NatsServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Network]:
    folder = tmp_path_factory.mktemp("notifications")
    ports = {NEED: free_port(), OFFER: free_port()}
    with mail_catcher() as catcher:
        mail = {
            "smtp_host": "127.0.0.1",
            "smtp_port": catcher.smtp_port,
            "console_url": CONSOLE,
            "mail_retry_first_seconds": 1,
        }
        nodes = {
            region: start(
                identity,
                broker,
                region,
                ports,
                folder,
                {**mail, "mail_link_key_file": folder / f"{region}-link.key"},
            )
            for region in ports
        }
        yield Network(nodes, identity, catcher)
        for node in nodes.values():
            node.stop(grace=1)


def _to(address: str, words: str) -> partial[bool]:
    def wanted(message: dict[str, object]) -> bool:
        return address in message["to"] and words in str(message["subject"])  # type: ignore[operator]

    return partial(wanted)


def _sme_need(facilitator: NodeClient, manager: NodeClient, title: str) -> need_pb2.Need:
    organisation = facilitator.organisations.CreateOrganisation(
        organisation_pb2.CreateOrganisationRequest(
            organisation=builders.organisation(legal_name=f"{SME_NAME} S.p.A.")
        )
    ).organisation
    need = builders.need(organisation.id)
    need.title = title
    created = facilitator.needs.CreateNeed(need_pb2.CreateNeedRequest(need=need)).need
    facilitator.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=created.id))
    return manager.needs.PublishNeed(need_pb2.PublishNeedRequest(id=created.id)).need


def _offer(expert: NodeClient) -> expert_offer_pb2.ExpertOffer:
    offer = expert.expert_offers.CreateExpertOffer(
        expert_offer_pb2.CreateExpertOfferRequest(expert_offer=builders.expert_offer())
    ).expert_offer
    expert.expert_offers.PublishExpertOffer(expert_offer_pb2.PublishExpertOfferRequest(id=offer.id))
    return offer


def test_a_referral_s_life_mails_each_side_in_its_language(network: Network) -> None:
    facilitator = network.client(NEED, "facilitator")
    manager = network.client(NEED, "cluster-manager")
    expert = network.client(OFFER, "expert")
    italian, greek = f"facilitator.{NEED}@example.org", f"expert.{OFFER}@example.org"
    need = _sme_need(facilitator, manager, "Distributor wanted for precision parts")
    offer = _offer(expert)
    wait_until(lambda: network.nodes[NEED].context.catalogue.offer(offer.id) is not None)
    wait_until(lambda: network.nodes[OFFER].context.catalogue.need(need.id) is not None)
    latencies: list[float] = []

    def mailed(address: str, words: str) -> dict[str, object]:
        started = time.perf_counter()
        message = network.mail.wait_for(_to(address, words))
        latencies.append(time.perf_counter() - started)
        return message

    referral = facilitator.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need.id, offer_id=offer.id)
        )
    ).referral
    received = mailed(greek, "Νέα παραπομπή")
    assert received["language"] == "el"
    assert f"{CONSOLE}/console/referrals/{referral.id}" in str(received["text"])
    assert received["list_unsubscribe"]

    expert.referrals.AcceptReferral(referral_pb2.AcceptReferralRequest(id=referral.id))
    accepted = mailed(italian, "ha accettato")
    assert accepted["language"] == "it"

    wait_until(partial(_state_is, facilitator, referral.id, referral_pb2.REFERRAL_STATE_ACCEPTED))
    facilitator.referrals.RecordReferralConsent(
        referral_pb2.RecordReferralConsentRequest(id=referral.id)
    )
    mailed(greek, "συναίνεσε")
    mailed(greek, "Γνωστοποίηση στοιχείων")
    wait_until(partial(_state_is, expert, referral.id, referral_pb2.REFERRAL_STATE_DISCLOSED))
    expert.referrals.EngageReferral(referral_pb2.EngageReferralRequest(id=referral.id))
    mailed(italian, "avviata")
    wait_until(partial(_state_is, expert, referral.id, referral_pb2.REFERRAL_STATE_ENGAGED))
    expert.referrals.CompleteReferral(
        referral_pb2.CompleteReferralRequest(
            id=referral.id,
            outcome=referral_pb2.REFERRAL_OUTCOME_AGREEMENT_SIGNED,
            hours_delivered=12,
            support_delivered=common_pb2.SERVICE_TYPE_MARKET_STUDY,
        )
    )
    outcome = mailed(italian, "Esito registrato")
    assert "è stato firmato un accordo" in str(outcome["text"])

    mails = network.mail.messages()
    about = [m for m in mails if referral.id in str(m["text"])]
    # Each side is told of the other's moves only, each once.
    assert sorted(str(m["subject"]).split(":")[0] for m in about if italian in m["to"]) == sorted(
        [
            str(accepted["subject"]).split(":")[0],
            *(
                str(m["subject"]).split(":")[0]
                for m in about
                if italian in m["to"]
                and ("avviata" in str(m["subject"]) or "Esito" in str(m["subject"]))
            ),
        ]
    )
    assert len([m for m in about if greek in m["to"]]) == 3
    message_ids = [m["message_id"] for m in mails]
    assert len(message_ids) == len(set(message_ids))
    # No mail holds the SME's identity: needs travel by their anonymised title.
    assert not [m for m in mails if SME_NAME in str(m["text"]) + str(m["html"])]
    metrics = generate_latest(network.nodes[OFFER].metrics.registry).decode()
    assert 'twoins_node_mails{kind="referral_received",state="sent"}' in metrics
    assert "twoins_node_mail_oldest_queued_age_seconds 0.0" in metrics
    latencies.sort()
    print(
        f"\nfrom a move to its mail at the other region ({len(latencies)} mails): "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )


def test_a_saved_search_mails_a_new_match_within_a_minute(network: Network) -> None:
    expert = network.client(OFFER, "expert")
    facilitator = network.client(NEED, "facilitator")
    manager = network.client(NEED, "cluster-manager")
    saved = expert.notifications.CreateSavedSearch(
        notification_pb2.CreateSavedSearchRequest(
            saved_search=notification_pb2.SavedSearch(
                target=notification_pb2.SAVED_SEARCH_TARGET_NEEDS, query="olive oil"
            )
        )
    ).saved_search
    started = time.perf_counter()
    _sme_need(facilitator, manager, "Olive oil bottling line partner")
    message = network.mail.wait_for(_to(f"expert.{OFFER}@example.org", "olive oil"), timeout=60)
    seconds = time.perf_counter() - started
    assert "Olive oil bottling line partner" in str(message["text"])
    assert SME_NAME not in str(message["text"])
    print(f"\nsaved search: the mail arrived {seconds:.2f} s after the need was published")
    # Once per entry: the need published again is not mailed again.
    listed = expert.notifications.ListSavedSearches(
        notification_pb2.ListSavedSearchesRequest()
    ).saved_searches
    assert [search.match_count for search in listed if search.id == saved.id] == [1]
    # The unsubscribe link works without a sign-in and ends the search.
    token = str(message["list_unsubscribe"]).strip("<>").rsplit("/", 1)[-1]
    with grpc.insecure_channel(network.nodes[OFFER].address) as channel:
        anonymous = notification_pb2_grpc.NotificationServiceStub(channel)
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        with pytest.raises(grpc.RpcError) as refused:
            anonymous.Unsubscribe(notification_pb2.UnsubscribeRequest(token=forged))
        assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        done = anonymous.Unsubscribe(notification_pb2.UnsubscribeRequest(token=token))
    assert done.email == f"expert.{OFFER}@example.org"
    assert not expert.notifications.ListSavedSearches(
        notification_pb2.ListSavedSearchesRequest()
    ).saved_searches


def test_reminder_escalation_and_a_returned_need_reach_who_they_should(network: Network) -> None:
    facilitator = network.client(NEED, "facilitator")
    manager = network.client(NEED, "cluster-manager")
    expert = network.client(OFFER, "expert")
    greek_manager = network.client(OFFER, "cluster-manager")
    greek_manager.notifications.GetNotificationSettings(
        notification_pb2.GetNotificationSettingsRequest()
    )
    need = _sme_need(facilitator, manager, "Packaging supplier for cheese exports")
    offer = _offer(expert)
    wait_until(lambda: network.nodes[NEED].context.catalogue.offer(offer.id) is not None)
    referral = facilitator.referrals.CreateReferral(
        referral_pb2.CreateReferralRequest(
            referral=referral_pb2.Referral(need_id=need.id, offer_id=offer.id)
        )
    ).referral
    wait_until(partial(_state_is, expert, referral.id, referral_pb2.REFERRAL_STATE_PROPOSED))
    due = referral.answer_due_time.ToDatetime().astimezone()
    receiving = network.nodes[OFFER].context
    follow_up_referrals(receiving, due - timedelta(hours=12))
    network.mail.wait_for(_to(f"expert.{OFFER}@example.org", "Υπενθύμιση"))
    follow_up_referrals(receiving, due + timedelta(hours=1))
    network.mail.wait_for(_to(f"cluster-manager.{OFFER}@example.org", "Καθυστερημένη"))

    organisation = facilitator.organisations.CreateOrganisation(
        organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation())
    ).organisation
    draft = facilitator.needs.CreateNeed(
        need_pb2.CreateNeedRequest(need=builders.need(organisation.id))
    ).need
    facilitator.needs.SubmitNeed(need_pb2.SubmitNeedRequest(id=draft.id))
    manager.needs.ReturnNeed(need_pb2.ReturnNeedRequest(id=draft.id, reason="add target markets"))
    returned = network.mail.wait_for(_to(f"facilitator.{NEED}@example.org", "rinviato"))
    assert "add target markets" in str(returned["text"])


def test_settings_mute_a_kind_and_the_manager_sees_the_region_s_mails(network: Network) -> None:
    facilitator = network.client(NEED, "facilitator")
    manager = network.client(NEED, "cluster-manager")
    settings = facilitator.notifications.GetNotificationSettings(
        notification_pb2.GetNotificationSettingsRequest()
    ).settings
    assert settings.email == f"facilitator.{NEED}@example.org"
    assert settings.enabled
    changed = facilitator.notifications.UpdateNotificationSettings(
        notification_pb2.UpdateNotificationSettingsRequest(
            settings=notification_pb2.NotificationSettings(
                enabled=True,
                muted_kinds=[notification_pb2.NOTIFICATION_KIND_NEED_RETURNED],
                language="fr",
            )
        )
    ).settings
    assert list(changed.muted_kinds) == [notification_pb2.NOTIFICATION_KIND_NEED_RETURNED]
    with pytest.raises(grpc.RpcError) as refused:
        facilitator.notifications.UpdateNotificationSettings(
            notification_pb2.UpdateNotificationSettingsRequest(
                settings=notification_pb2.NotificationSettings(enabled=True, language="xx")
            )
        )
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as refused:
        facilitator.notifications.ListMails(notification_pb2.ListMailsRequest())
    assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED
    listed = manager.notifications.ListMails(
        notification_pb2.ListMailsRequest(state=notification_pb2.MAIL_STATE_SENT)
    )
    assert listed.mails
    assert listed.counts["SENT"] >= len(listed.mails)
    assert all(mail.state == notification_pb2.MAIL_STATE_SENT for mail in listed.mails)
    with pytest.raises(grpc.RpcError) as refused:
        facilitator.notifications.CreateSavedSearch(
            notification_pb2.CreateSavedSearchRequest(
                saved_search=notification_pb2.SavedSearch(
                    target=notification_pb2.SAVED_SEARCH_TARGET_NEEDS
                )
            )
        )
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
