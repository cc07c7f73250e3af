"""The node's own conversions into protobuf give what protobuf's helpers give."""

from __future__ import annotations

import enum
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from twoins.node.domain.need import NeedState, NeedType
from twoins.node.domain.organisation import ConsentPurpose, ExportStatus
from twoins.node.messages.convert import _PROTO_ENUMS, enum_to_proto, set_timestamp

_FIRST = datetime(1, 1, 1, tzinfo=UTC)
_SPAN_MICROSECONDS = 315_537_897_599_999_999  # to 9999-12-31 23:59:59.999999


def _times() -> list[datetime]:
    chosen = random.Random(20261207)
    times = [
        _FIRST,
        _FIRST + timedelta(microseconds=_SPAN_MICROSECONDS),
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2026, 12, 7, 9, 30, 15, 250_000),  # naive: taken as UTC
        datetime(2026, 12, 7, 9, 30, 15, 1, tzinfo=timezone(timedelta(hours=2))),
    ]
    for _ in range(2_000):
        moment = datetime(1900, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=chosen.randrange(0, 200 * 365 * 86_400 * 10**6)
        )
        offset = timezone(timedelta(minutes=chosen.randrange(-12 * 60, 14 * 60)))
        times.append(moment.astimezone(offset))
    return times


@pytest.mark.parametrize("moment", _times()[:6])
def test_a_timestamp_is_set_as_protobuf_sets_it_at_the_edges(moment: datetime) -> None:
    expected, got = Timestamp(), Timestamp()
    expected.FromDatetime(moment)
    set_timestamp(got, moment)
    assert got == expected


def test_a_timestamp_is_set_as_protobuf_sets_it_for_any_time_and_zone() -> None:
    for moment in _times():
        expected, got = Timestamp(), Timestamp()
        expected.FromDatetime(moment)
        set_timestamp(got, moment)
        assert got == expected, moment


def test_an_unset_time_leaves_the_timestamp_unset() -> None:
    target = Timestamp()
    set_timestamp(target, None)
    assert target == Timestamp()


@pytest.mark.parametrize("domain_enum", [ExportStatus, ConsentPurpose, NeedState, NeedType])
def test_every_member_converts_to_its_protobuf_value_every_time(
    domain_enum: type[enum.Enum],
) -> None:
    proto_enum, prefix = _PROTO_ENUMS[domain_enum]
    for member in domain_enum:
        assert enum_to_proto(member) == proto_enum.Value(prefix + member.name)
        assert enum_to_proto(member) == proto_enum.Value(prefix + member.name)  # remembered
