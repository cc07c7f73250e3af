"""The console: the pages facilitators, experts and cluster managers use, signed in through
Keycloak. Every page calls the node of the user's region with the user's own token; one module
per area adds its routes to the `console` blueprint."""

from twoins.gateway.console import (  # noqa: F401 (each module adds its routes)
    assessments,
    data_rights,
    home,
    knowledge,
    needs,
    network,
    network_figures,
    notifications,
    offers,
    plans,
    referrals,
    review,
    smes,
)
from twoins.gateway.console.blueprint import console

__all__ = ["console"]
