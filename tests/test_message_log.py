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
