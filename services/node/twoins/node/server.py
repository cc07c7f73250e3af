"""Builds, starts and stops a node's gRPC server: services, health, reflection, background work."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from concurrent import futures
from datetime import timedelta

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from sqlalchemy.exc import SQLAlchemyError

from twoins.common.auth import TokenVerifier
from twoins.common.metrics import MetricsServer, serve_metrics
from twoins.common.realm_config import node_client_id
from twoins.common.reflection import enable_reflection
from twoins.common.service_token import ServiceTokenSource
from twoins.common.signing import KeyFileSigner, KeyRingCache, SigningError, parse_public_key
from twoins.node.api.access import AccessPolicy
from twoins.node.api.assessments import AssessmentServicer
from twoins.node.api.business_plans import BusinessPlanServicer
from twoins.node.api.disclosure import DisclosureServicer
from twoins.node.api.expert_offers import ExpertOfferServicer
from twoins.node.api.interceptor import NodeServerInterceptor
from twoins.node.api.knowledge import KnowledgeServicer
from twoins.node.api.needs import NeedServicer, expire_due_needs
from twoins.node.api.network import NetworkServicer
from twoins.node.api.notifications import NotificationServicer
from twoins.node.api.organisations import OrganisationServicer
from twoins.node.api.referrals import (
    ReferralServicer,
    expire_overdue_referrals,
    follow_up_referrals,
)
from twoins.node.api.sme_rights import erase_past_retention
from twoins.node.bus.worker import BusSettings, BusWorker
from twoins.node.config import NodeConfig
from twoins.node.context import NodeContext, TaxonomyCodeLists
from twoins.node.domain.notification import Backoff
from twoins.node.domain.text import utc_now
from twoins.node.jobs.disclosure_exchange import DisclosureWorker
from twoins.node.jobs.mail_delivery import MailDelivery
from twoins.node.metrics import NodeMetrics
from twoins.node.notify.links import LinkSigner, load_or_create_key
from twoins.node.notify.notifier import Notifier
from twoins.node.notify.render import MailRenderer
from twoins.node.notify.smtp import RelaySettings, SmtpRelay
from twoins.node.peers import Peers
from twoins.node.semantic import TextEmbedder
from twoins.node.serving_processes import CATALOGUE_FOLLOW_SECONDS, ServingProcesses
from twoins.node.store.audit import HeadSigner
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import (
    assessment_pb2,
    assessment_pb2_grpc,
    business_plan_pb2,
    business_plan_pb2_grpc,
    disclosure_pb2,
    disclosure_pb2_grpc,
    expert_offer_pb2,
    expert_offer_pb2_grpc,
    knowledge_pb2,
    knowledge_pb2_grpc,
    need_pb2,
    need_pb2_grpc,
    network_pb2,
    network_pb2_grpc,
    notification_pb2,
    notification_pb2_grpc,
    organisation_pb2,
    organisation_pb2_grpc,
    referral_pb2,
    referral_pb2_grpc,
)

logger = logging.getLogger(__name__)

SERVICE_NAMES = tuple(
    module.DESCRIPTOR.services_by_name[name].full_name
    for module, name in (
        (organisation_pb2, "OrganisationService"),
        (assessment_pb2, "AssessmentService"),
        (business_plan_pb2, "BusinessPlanService"),
        (need_pb2, "NeedService"),
        (expert_offer_pb2, "ExpertOfferService"),
        (network_pb2, "NetworkService"),
        (knowledge_pb2, "KnowledgeService"),
        (referral_pb2, "ReferralService"),
        (disclosure_pb2, "DisclosureService"),
        (notification_pb2, "NotificationService"),
    )
)


class NodeStartError(Exception):
    """The node could not start; the message says why and what to change."""


def _event_signing(config: NodeConfig) -> tuple[KeyRingCache, KeyFileSigner]:
    """The network key ring and this node's signing key, checked before the node joins the
    bus: a node whose key the ring does not list could not be heard by anyone."""
    assert config.signing_key_file is not None  # load_node_config requires it with a bus
    try:
        keyring = KeyRingCache(
            config.keyring_url,
            parse_public_key(config.keyring_root_key),
            refresh_seconds=config.keyring_refresh_seconds,
        )
        signer = KeyFileSigner(config.signing_key_file, config.region.id, keyring)
        signer.check_listed()
    except (SigningError, OSError) as error:
        raise NodeStartError(f"event signing is not ready: {error}") from None
    return keyring, signer


class NodeServer:
    """One region's node. Build it with `build_server`, then `start()`, `stop()`."""

    def __init__(
        self,
        config: NodeConfig,
        database: Database,
        context: NodeContext,
        signing: tuple[KeyRingCache, KeyFileSigner] | None = None,
        *,
        serving_only: bool = False,
        serving_number: int = 1,
    ) -> None:
        """`serving_only`: one of the node's other serving processes (`serving_processes`),
        which serves the API and follows the catalogue from the tables, and does nothing
        else (no bus, jobs, mail or metrics endpoint); `serving_number`: which one (the first
        process is 1)."""
        self.config = config
        self.serving_only = serving_only
        self.serving: ServingProcesses | None = None
        self.metrics = NodeMetrics(config.region.id, context.store)
        self.metrics_server: MetricsServer | None = None
        self.database = database
        self.context = context
        self.port = 0
        self._health = health.HealthServicer()
        self._stopping = threading.Event()
        self._catalogue_loaded = False
        self._background: threading.Thread | None = None
        self.bus: BusWorker | None = None
        if config.nats_url and not serving_only:
            keyring, signer = signing or _event_signing(config)
            self.bus = BusWorker(
                context,
                BusSettings(
                    config.nats_url,
                    config.nats_user,
                    config.nats_password,
                    config.nats_stream,
                    config.heartbeat_seconds,
                ),
                frozenset(config.network_regions),
                signer,
                keyring,
                metrics=self.metrics,
            )
        settings = config.auth_settings()
        if settings is None and not config.allow_unauthenticated:
            raise NodeStartError(
                "no identity provider configured: set auth_issuer (TWOINS_AUTH_ISSUER) to the "
                "realm's issuer URL, or allow_unauthenticated for a local trial without sign-in"
            )
        self.access = AccessPolicy(
            config.region.id, TokenVerifier(settings) if settings is not None else None
        )
        self._server = grpc.server(
            futures.ThreadPoolExecutor(
                max_workers=config.max_workers, thread_name_prefix=f"node-{config.region.id}"
            ),
            interceptors=[
                NodeServerInterceptor(
                    self.access,
                    self.metrics,
                    on_caller=context.note_caller,
                    serving_process=(
                        (serving_number, config.serve_processes)
                        if config.serve_processes > 1
                        else None
                    ),
                )
            ],
            options=[
                ("grpc.max_receive_message_length", config.max_message_bytes),
                ("grpc.max_send_message_length", config.max_message_bytes),
                # Shared only by the node's own serving processes: a port another program
                # holds is refused (with several, `start` checks that none answers there).
                ("grpc.so_reuseport", 1 if config.serve_processes > 1 else 0),
            ],
        )
        organisation_pb2_grpc.add_OrganisationServiceServicer_to_server(
            OrganisationServicer(context), self._server
        )
        assessment_pb2_grpc.add_AssessmentServiceServicer_to_server(
            AssessmentServicer(context), self._server
        )
        business_plan_pb2_grpc.add_BusinessPlanServiceServicer_to_server(
            BusinessPlanServicer(context), self._server
        )
        need_pb2_grpc.add_NeedServiceServicer_to_server(NeedServicer(context), self._server)
        expert_offer_pb2_grpc.add_ExpertOfferServiceServicer_to_server(
            ExpertOfferServicer(context), self._server
        )
        network_pb2_grpc.add_NetworkServiceServicer_to_server(
            NetworkServicer(context), self._server
        )
        knowledge_pb2_grpc.add_KnowledgeServiceServicer_to_server(
            KnowledgeServicer(context), self._server
        )
        referral_pb2_grpc.add_ReferralServiceServicer_to_server(
            ReferralServicer(context), self._server
        )
        disclosure_pb2_grpc.add_DisclosureServiceServicer_to_server(
            DisclosureServicer(context), self._server
        )
        notification_pb2_grpc.add_NotificationServiceServicer_to_server(
            NotificationServicer(context), self._server
        )
        self.disclosure = (
            DisclosureWorker(context) if context.peers is not None and not serving_only else None
        )
        self.mail: MailDelivery | None = None
        if context.notifier is not None and not serving_only:
            self.mail = MailDelivery(
                context.store,
                context.notifier,
                SmtpRelay(relay_settings(config)),
                context.clock,
                metrics=self.metrics,
                digest_hour=config.mail_digest_hour,
                backoff=Backoff(first=timedelta(seconds=config.mail_retry_first_seconds)),
            )
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        enable_reflection(
            self._server,
            (*SERVICE_NAMES, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name),
        )

    @property
    def address(self) -> str:
        host = self.config.listen.rsplit(":", 1)[0]
        return f"{host}:{self.port}"

    def start(self) -> None:
        """Checks and migrates the database, binds the port and starts serving (and, with
        `serve_processes` above one, the node's other serving processes)."""
        self.database.check_connection()
        if self.serving_only:
            self._start_serving_only()
            return
        if self.config.migrate_on_start:
            self.database.upgrade()
        elif not self.database.is_current():
            raise NodeStartError(
                "the database schema is not current; run "
                "`twoins node migrate` or set migrate_on_start"
            )
        if self.config.serve_processes > 1 and _answers(self.config.listen):
            raise NodeStartError(
                f"cannot listen on {self.config.listen}: another process answers there"
            )
        self._bind()
        recounted = self.context.store.count_profiles_if_needed()
        if recounted is not None:
            logger.info("the region's SMEs counted by profile", extra={"smes": recounted})
        self._load_catalogue()
        if self.config.metrics_listen:
            self.metrics_server = serve_metrics(self.config.metrics_listen, self.metrics.registry)
        self._serve_with(self._sweep_expired_needs, "expiry")
        if self.bus is not None:
            self.bus.start()
        if self.disclosure is not None:
            self.disclosure.start()
        if self.mail is not None:
            self.mail.start()
        if self.config.serve_processes > 1:
            self.serving = ServingProcesses(
                self.config.model_copy(update={"listen": self.address}),
                self.config.serve_processes - 1,
            )
            self.serving.start()
        if self.access.open:
            logger.warning(
                "node serving WITHOUT identity checks: any caller may read and change the "
                "region's records; configure auth_issuer before real data goes in"
            )
        logger.info(
            "node serving",
            extra={
                "address": self.address,
                "database": self.database.url.get_backend_name(),
                "issuer": self.config.auth_issuer or "none",
            },
        )

    def _bind(self) -> None:
        try:
            self.port = self._server.add_insecure_port(self.config.listen)
        except RuntimeError as error:
            raise NodeStartError(
                f"cannot listen on {self.config.listen}: {error}; is another process using it?"
            ) from None
        if self.port == 0:
            raise NodeStartError(
                f"cannot listen on {self.config.listen}; is another process using it?"
            )

    def _start_serving_only(self) -> None:
        if not self.database.is_current():
            raise NodeStartError("the database schema is not current; the first process migrates")
        self._bind()
        self._load_catalogue()
        self._serve_with(self._follow_catalogue, "catalogue")
        logger.info("serving process serving", extra={"address": self.address})

    def _serve_with(self, background: Callable[[], None], name: str) -> None:
        """Starts serving, says so to health checks, and starts the process's background
        loop (`background`, until the node stops)."""
        self._server.start()
        for service in ("", *SERVICE_NAMES):
            self._health.set(service, health_pb2.HealthCheckResponse.SERVING)
        self._background = threading.Thread(
            target=background, daemon=True, name=f"{name}-{self.config.region.id}"
        )
        self._background.start()

    def _follow_catalogue(self) -> None:
        """A serving process's catalogue: the changes the first process applied, from the
        tables, every `CATALOGUE_FOLLOW_SECONDS`."""
        while not self._stopping.wait(CATALOGUE_FOLLOW_SECONDS):
            try:
                self.context.catalogue.catch_up(self.context.store)
            except SQLAlchemyError as error:
                logger.warning(
                    "catalogue not followed this time; trying again",
                    extra={"reason": str(error).splitlines()[0]},
                )
            except Exception:  # a bug: said loudly, and the catalogue still followed after
                logger.exception("catalogue not followed this time; trying again")

    def wait_ready(self, timeout: float = 10.0) -> None:
        """Returns once the node answers health checks with SERVING."""
        with grpc.insecure_channel(self.address) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            response = stub.Check(
                health_pb2.HealthCheckRequest(), timeout=timeout, wait_for_ready=True
            )
        if response.status != health_pb2.HealthCheckResponse.SERVING:
            raise NodeStartError(f"node at {self.address} is not serving")

    def wait_for_termination(self) -> None:
        self._server.wait_for_termination()

    def stop(self, grace: float | None = None) -> None:
        """Stops taking calls, lets calls in flight finish within `grace`, closes the database."""
        grace = self.config.shutdown_grace_seconds if grace is None else grace
        self._stopping.set()
        self._health.enter_graceful_shutdown()
        if self.serving is not None:  # they finish their calls while this one still serves
            self.serving.stop(grace)
        self._server.stop(grace).wait()
        if self.disclosure is not None:
            self.disclosure.stop()
        if self.mail is not None:
            self.mail.stop()
        if self.context.peers is not None:
            self.context.peers.close()
        if self.bus is not None:
            self.bus.stop()
        if self.metrics_server is not None:
            self.metrics_server.stop()
        if self._background is not None:
            self._background.join(timeout=5)
        self._save_catalogue()
        self.database.dispose()
        logger.info("node stopped")

    def _load_catalogue(self) -> None:
        started = time.perf_counter()
        source = self.context.catalogue.load(
            self.context.store, self.config.catalogue_snapshot_file
        )
        self._catalogue_loaded = True
        logger.info(
            "catalogue index loaded",
            extra={"source": source, "seconds": round(time.perf_counter() - started, 2)},
        )

    def _save_catalogue(self) -> None:
        """Keeps the catalogue index for the next start; a failure costs that start a
        rebuild from the tables, nothing else."""
        snapshot = self.config.catalogue_snapshot_file
        if snapshot is None or not self._catalogue_loaded or self.serving_only:
            return
        started = time.perf_counter()
        try:
            size = self.context.catalogue.save(snapshot)
        except OSError as error:
            logger.warning(
                "catalogue snapshot not written; the next start rebuilds the index from the tables",
                extra={"snapshot": str(snapshot), "reason": str(error)},
            )
            return
        logger.info(
            "catalogue snapshot written",
            extra={
                "snapshot": str(snapshot),
                "megabytes": round(size / 1e6, 1),
                "seconds": round(time.perf_counter() - started, 2),
            },
        )

    def _sweep_expired_needs(self) -> None:
        while not self._stopping.wait(self.config.expiry_sweep_seconds):
            try:
                now = self.context.clock()
                count = expire_due_needs(self.context, now)
                follow_up_referrals(self.context, now)
                referrals = expire_overdue_referrals(self.context, now)
                retained = erase_past_retention(self.context, now, self.config.retention_days)
            except Exception:
                logger.exception("expiry sweep failed; retrying at the next interval")
                continue
            if count:
                logger.info("needs expired", extra={"count": count})
            if referrals:
                logger.info("referrals expired", extra={"count": referrals})
            if retained is not None:
                logger.info(
                    "erased what ended before the retention limit",
                    extra={"erasure": retained.id, **retained.erased},
                )


def relay_settings(config: NodeConfig) -> RelaySettings:
    _name, _, address = config.mail_from.rpartition("<")
    domain = address.rstrip(">").rpartition("@")[2] or f"{config.region.id}.twoins"
    return RelaySettings(
        host=config.smtp_host,
        port=config.smtp_port,
        starttls=config.smtp_starttls,
        user=config.smtp_user,
        password_file=config.smtp_password_file,
        ca_file=config.smtp_ca_file,
        timeout_seconds=config.smtp_timeout_seconds,
        sender=config.mail_from,
        message_id_domain=domain,
    )


def _notifier(config: NodeConfig) -> Notifier | None:
    """What writes the region's mails; None when no relay is configured."""
    if not config.smtp_host:
        return None
    if config.mail_link_key_file is None:
        raise NodeStartError("mail needs mail_link_key_file, the key of unsubscribe links")
    try:
        key = load_or_create_key(config.mail_link_key_file)
    except (OSError, ValueError) as error:
        raise NodeStartError(f"the unsubscribe links' key is not usable: {error}") from None
    region = config.region
    return Notifier(
        region.id,
        config.region_names,
        region.languages[0],
        MailRenderer(region.name, region.country),
        LinkSigner(region.id, key),
        config.console_url,
        utc_now,
    )


def _answers(listen: str) -> bool:
    """Whether something accepts connections at HOST:PORT (port 0 never)."""
    host, _, port = listen.rpartition(":")
    if not port.isdigit() or int(port) == 0:
        return False
    try:
        with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=1.0):
            return True
    except OSError:
        return False


def build_server(
    config: NodeConfig, *, serving_only: bool = False, serving_number: int = 1
) -> NodeServer:
    """The node for `config`, built and not started; `serving_only`: one of its other
    serving processes, `serving_number` (`NodeServer`)."""
    database = Database(config.database_url)
    peers = None
    if config.auth_client_secret and config.auth_issuer:
        peers = Peers(
            config.peer_addresses,
            ServiceTokenSource(
                config.token_url, node_client_id(config.region.id), config.auth_client_secret
            ),
        )
    signing = _event_signing(config) if config.nats_url and not serving_only else None
    audit_signer, signatures = None, None
    if signing is not None:
        keyring, signer = signing
        audit_signer = HeadSigner(
            config.region.id, lambda message: (signer.key.kid, signer.key.sign(message))
        )
        signatures = keyring.check_signature
    context = NodeContext(
        region=config.region,
        store=NodeStore(database),
        codes=TaxonomyCodeLists(),
        k_anonymity=config.k_anonymity,
        embedder=TextEmbedder() if config.semantic_matching else None,
        peers=peers,
        referral_answer_days=config.referral_answer_days,
        audit_signer=audit_signer,
        signatures=signatures,
        notifier=_notifier(config),
    )
    return NodeServer(
        config,
        database,
        context,
        signing,
        serving_only=serving_only,
        serving_number=serving_number,
    )
