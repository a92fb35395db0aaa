"""The run's message list, kept by column, reads back exactly what was added."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from creepcheck.models import MessageLog, MessageRecord

RECORDS = st.builds(
    MessageRecord,
    st.sampled_from(["spring", "autumn"]),
    st.sampled_from(["email", "sms", "push"]),
    st.sampled_from(["p1", "p2", "", "Żółw-7", "ид-3"]),
    st.integers(0, 2**31 - 1),
)


@given(st.lists(RECORDS, max_size=40))
def test_a_log_reads_back_its_records(records: list[MessageRecord]) -> None:
    log = MessageLog(records)
    assert len(log) == len(records)
    assert list(log) == records
    assert log == records
    assert [log[i] for i in range(-len(records), len(records))] == records + records
    assert log[1:5] == records[1:5]
    assert sorted(log, key=lambda m: (m.profile, m.channel)) == sorted(
        records, key=lambda m: (m.profile, m.channel)
    )


def test_extend_appends_in_order_and_an_empty_log_is_falsy() -> None:
    log = MessageLog()
    assert not log
    log.extend([MessageRecord("c", "sms", "p1", 1)])
    log.extend([MessageRecord("c", "email", "p1", 2), MessageRecord("c", "sms", "p2", 0)])
    assert [m.profile for m in log] == ["p1", "p1", "p2"]
    assert log[-1] == MessageRecord("c", "sms", "p2", 0)


def test_columns_widen_when_a_value_does_not_fit() -> None:
    records = [
        MessageRecord(f"campaign-{i}", "email", f"p{i // 2}", specificity)
        for i, specificity in enumerate([0, 127, 128, -129, 2**31, -(2**40)] * 60)
    ]
    log = MessageLog(records)  # 360 kinds (past a byte), specificities past 32 bits
    assert list(log) == records
    assert log[300] == records[300] and log[-1] == records[-1]


def test_a_column_widens_past_32_bits() -> None:
    from array import array

    from creepcheck.models import _appended

    column = _appended(array("I", [1, 2]), 2**32)
    assert column.typecode == "Q" and list(column) == [1, 2, 2**32]
