"""The kinds of support that clusters and experts deliver to SMEs."""

from __future__ import annotations

import enum


class ServiceType(enum.Enum):
    UNSPECIFIED = 0
    CONSULTING = 1
    CAPACITY_BUILDING = 2
    MATCHMAKING = 3
    TECHNOLOGY_TRANSFER = 4
    MARKET_STUDY = 5
    FINANCING_ADVICE = 6
    LEGAL_ADVICE = 7
