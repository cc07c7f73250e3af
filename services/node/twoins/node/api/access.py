"""Who may call what on a node, checked on every RPC from the caller's own access token.

The node trusts nobody in between: it verifies the token the gateway forwards (or a peer
node's service-account token) itself, and takes the caller's region from the token, never
from a request body. Records of the region are the region's staff's; offers are their
experts'; the network catalogue (anonymised) is open to every role of every region.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from twoins.common.auth import InvalidToken, Principal, TokenVerifier, bearer_token
from twoins.common.realm_config import CLUSTER_MANAGER, NODE
from twoins.common.roles import (
    NETWORK_WIDE_METHODS,
    NETWORK_WIDE_SERVICES,
    OPEN_METHODS,
    allowed_roles,
)
from twoins.node.domain.errors import NotFound, PermissionDenied, Unauthenticated

AUTHORIZATION_HEADER = "authorization"

_principal: ContextVar[Principal | None] = ContextVar("principal", default=None)


class AccessPolicy:
    """Authenticates and authorises calls to one region's node.

    Without a verifier the node runs open (a local trial without identity): every call is
    allowed and no caller is known.
    """

    def __init__(self, region_id: str, verifier: TokenVerifier | None) -> None:
        self.region_id = region_id
        self.verifier = verifier

    @property
    def open(self) -> bool:
        return self.verifier is None

    def authorise(
        self, method: str, metadata: Sequence[tuple[str, str | bytes]]
    ) -> Principal | None:
        if self.verifier is None or method.strip("/") in OPEN_METHODS:
            return None
        header = next((value for key, value in metadata if key == AUTHORIZATION_HEADER), None)
        try:
            principal = self.verifier.verify(
                bearer_token(header if isinstance(header, str) else None)
            )
        except InvalidToken as error:
            raise Unauthenticated(str(error), reason=error.reason) from None
        name = method.strip("/")
        service, _, rpc = name.partition("/")
        roles = allowed_roles(method)
        if not principal.has_role(*roles):
            raise PermissionDenied(
                f"{principal.describe()} may not call {rpc}",
                reason="ROLE_NOT_ALLOWED",
                metadata={"method": rpc},
            )
        if NODE in principal.roles and principal.node_region is None:
            raise PermissionDenied(
                "the service account is not the node of the region its token names",
                reason="NODE_NOT_RECOGNISED",
            )
        network_wide = service in NETWORK_WIDE_SERVICES or name in NETWORK_WIDE_METHODS
        if not network_wide and principal.region != self.region_id:
            raise PermissionDenied(
                f"the caller belongs to region {principal.region or 'none'}; this node serves "
                f"{self.region_id}: send the request to your own region's node",
                reason="WRONG_REGION",
                metadata={"node_region": self.region_id},
            )
        return principal


@contextmanager
def calling_as(principal: Principal | None) -> Iterator[None]:
    token = _principal.set(principal)
    try:
        yield
    finally:
        _principal.reset(token)


def current_principal() -> Principal | None:
    """The verified caller of the RPC being handled; None on an open node."""
    return _principal.get()


def owner_scope() -> str | None:
    """The subject whose offers and knowledge items alone the caller may see and change: an
    expert's own; None for a cluster manager (every one of the region) or on an open node."""
    principal = current_principal()
    if principal is None or principal.has_role(CLUSTER_MANAGER):
        return None
    return principal.subject


def check_offer_owner(owner: str, offer_id: str) -> None:
    """An expert reaching another expert's offer learns nothing: it is not found."""
    check_owned(owner, "expert_offer", "expert offer", offer_id)


def check_owned(owner: str, resource: str, label: str, record_id: str) -> None:
    """An expert reaching another expert's record learns nothing: it is not found."""
    scope = owner_scope()
    if scope is not None and owner != scope:
        # The same answer as for a record that does not exist.
        raise NotFound(
            f"{label} {record_id} does not exist in this region",
            metadata={"resource": resource, "id": record_id},
        )
