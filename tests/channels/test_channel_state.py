"""Channel state on SQLite (one machine) and on the shared PostgreSQL (cluster mode): SMS retries,
opt-outs and menus, and signed-out chat sessions, seen alike by two replicas."""

import datetime as dt
import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.channels.sms_store import SmsStore
from assistant.chat_session_revocations import ChatSessionRevocations


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/state/channels.db"
    return request.getfixturevalue("postgres_database")


def test_two_replicas_share_sms_state(database_url):
    one, two = SmsStore(database_url), SmsStore(database_url)
    assert one.first_delivery("SM1") is True
    assert two.first_delivery("SM1") is False  # Twilio's retry reached the other replica
    one.remember_number("sms-abc", "+15551110000")
    two.remember_number("sms-abc", "+15551110000")
    two.set_opted_out("sms-abc", True)
    assert one.opted_out("sms-abc") is True and one.number_of("sms-abc") == "+15551110000"
    one.save_menu("sms-abc", ["/affirm", "/deny"])
    assert two.menu("sms-abc") == ["/affirm", "/deny"]
    two.save_menu("sms-abc", [])
    assert one.menu("sms-abc") == []


def test_the_first_texts_of_a_number_on_many_replicas_at_once(database_url):
    replicas = [SmsStore(database_url) for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: replicas[i % 4].remember_number("sms-race", "+15552220000"), range(16)))
        deliveries = list(pool.map(lambda i: replicas[i % 4].first_delivery("SM-race"), range(16)))
        list(pool.map(lambda i: replicas[i % 4].save_menu("sms-race", [f"/choice{i}"]), range(16)))
    assert deliveries.count(True) == 1
    assert replicas[0].number_of("sms-race") == "+15552220000"
    assert len(replicas[0].menu("sms-race")) == 1


def test_a_revoked_session_is_revoked_for_every_replica(database_url):
    website, rasa = ChatSessionRevocations(database_url), ChatSessionRevocations(database_url)
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    assert rasa.is_revoked("web-1") is False
    website.revoke("web-1", expires)
    website.revoke("web-1", expires)  # signing out twice is fine
    assert rasa.is_revoked("web-1") is True and rasa.is_revoked("web-2") is False


def test_rows_of_expired_sessions_are_dropped(tmp_path):
    url = f"sqlite:///{tmp_path}/sessions.db"
    revocations = ChatSessionRevocations(url)
    revocations.revoke("web-old", dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1))
    revocations.revoke("web-new", dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1))
    # The old token is refused by its expiry anyway; its row is no longer needed.
    assert revocations.is_revoked("web-old") is False and revocations.is_revoked("web-new") is True


def test_sqlite_files_are_for_this_user_only(tmp_path):
    SmsStore(f"sqlite:///{tmp_path}/var/sms.db")
    ChatSessionRevocations(f"sqlite:///{tmp_path}/var/sessions.db").is_revoked("web-1")
    assert stat.S_IMODE(os.stat(tmp_path / "var").st_mode) == 0o700
    for name in ("sms.db", "sessions.db"):
        assert stat.S_IMODE(os.stat(tmp_path / "var" / name).st_mode) == 0o600
