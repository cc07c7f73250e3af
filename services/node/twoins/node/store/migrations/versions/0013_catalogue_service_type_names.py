"""the catalogue keeps offers' service types by name, as the offers table does

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

# The contract's numbers of ServiceType (common.proto), frozen here: a migration must not
# change meaning when the code moves on.
_NAMES = {
    "1": "CONSULTING",
    "2": "CAPACITY_BUILDING",
    "3": "MATCHMAKING",
    "4": "TECHNOLOGY_TRANSFER",
    "5": "MARKET_STUDY",
    "6": "FINANCING_ADVICE",
    "7": "LEGAL_ADVICE",
}

_offers = sa.table(
    "catalogue_offers", sa.column("offer_id", sa.String), sa.column("service_types", sa.JSON)
)


def _convert(mapping: dict[str, str]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_offers.c.offer_id, _offers.c.service_types)).all()
    for offer_id, values in rows:
        converted = [mapping.get(str(value), str(value)) for value in values or []]
        if converted != values:
            connection.execute(
                _offers.update()
                .where(_offers.c.offer_id == offer_id)
                .values(service_types=converted)
            )


def upgrade() -> None:
    _convert(_NAMES)


def downgrade() -> None:
    _convert({name: number for number, name in _NAMES.items()})
