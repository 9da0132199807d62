"""What the tracker store does to stay cheap per message (assistant/tracker_store.py): the lookups Rasa
makes each turn go through an index, not a conversation's whole history, and on SQLite a reader (the
agent desk) is not blocked by a turn being written."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from tests.privacy.conversations import open_store, stored_rows, turn


def plan(store, query) -> str:  # type: ignore[no-untyped-def]
    with store.sessionmaker() as session:
        compiled = query(session).statement.compile(
            dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}
        )
        with store.engine.connect() as connection:
            rows = connection.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


async def test_the_turns_lookups_use_the_conversation_and_time_indexes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "tracker.db")
    await turn(store, "sms-1", SessionStarted(), ActionExecuted("action_listen"), UserUttered("hi"))

    used = plan(
        store, lambda session: store._event_query(session, "sms-1", fetch_events_from_all_sessions=False)
    )

    assert "ix_events_sender_type_timestamp" in used  # the latest session start: an index lookup
    assert "ix_events_sender_timestamp" in used or "ix_events_sender_id" in used
    assert "SCAN events" not in used


async def test_a_turn_is_written_while_a_reader_is_in_the_middle_of_reading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "tracker.db")
    await turn(store, "web-1", UserUttered("what's my balance?"), BotUttered("Let me check."))

    # The agent desk reading transcripts: a read transaction open on the same database.
    reader = sqlite3.connect(tmp_path / "tracker.db", timeout=0, isolation_level=None)
    reader.execute("BEGIN")
    assert len(reader.execute("SELECT data FROM events WHERE sender_id = 'web-1'").fetchall()) == 2
    try:
        # With a rollback journal this commit waits for the reader, then fails ("database is locked").
        await turn(store, "web-1", UserUttered("thanks"), BotUttered("You're welcome."))
        assert len(reader.execute("SELECT data FROM events WHERE sender_id = 'web-1'").fetchall()) == 2
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert len(stored_rows(store, "web-1")) == 4


async def test_a_conversation_reads_back_as_rasas_own_store_reads_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The store reads only the data column (assistant/tracker_store.py, `_retrieve`): the tracker must be
    # the one Rasa's SQLTrackerStore builds from the same rows, this session's and all sessions'.
    store = open_store(tmp_path / "tracker.db")
    await turn(store, "web-2", SessionStarted(), ActionExecuted("action_listen"), UserUttered("hi"))
    await turn(store, "web-2", BotUttered("Hello!"), ActionExecuted("action_listen"))
    await turn(store, "web-2", SessionStarted(), ActionExecuted("action_listen"), UserUttered("my balance?"))

    for all_sessions in (False, True):
        ours = await store._retrieve("web-2", fetch_events_from_all_sessions=all_sessions)
        rasas = await SQLTrackerStore._retrieve(store, "web-2", fetch_events_from_all_sessions=all_sessions)
        assert ours is not None and rasas is not None
        assert list(ours.events) == list(rasas.events)
        assert ours.current_state() == rasas.current_state()
    current = await store.retrieve("web-2")
    assert current is not None
    assert [event.type_name for event in current.events] == ["session_started", "action", "user"]
    assert await store.retrieve("nobody") is None


async def test_turns_reuse_one_open_connection_and_each_is_committed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A file SQLite database is no longer opened and closed per retrieve and save (tracker_store.py,
    # `_keep_sqlite_connections_open`); what a turn saved must still be there for any other reader at once.
    store = open_store(tmp_path / "tracker.db")
    connections = []
    sa.event.listen(store.engine, "connect", lambda connection, _record: connections.append(connection))

    for number in range(3):
        await turn(store, "web-3", UserUttered(f"message {number}"), BotUttered("ok"))
        reader = sqlite3.connect(tmp_path / "tracker.db")
        assert len(reader.execute("SELECT id FROM events WHERE sender_id = 'web-3'").fetchall()) == 2 * (
            number + 1
        )
        reader.close()

    assert connections == []  # the one opened when the store started (its indexes) served every turn
    assert store.engine.url.database == str(tmp_path / "tracker.db")
