"""The website channel's checks on a socket: a live (signed, unexpired, not signed-out) session, and a
member token passed on only for the session's own member and conversation."""

import datetime as dt

import pytest

from assistant.channels.web_chat import WebsiteInput
from assistant.chat_session_revocations import ChatSessionRevocations
from assistant.chat_sessions import new_session_token, read_session_token
from assistant.member_tokens import issue_member_token

SESSION_SECRET = "test-chat-session-secret-0123456789"
MEMBER_SECRET = "test-member-token-secret-0123456789"


@pytest.fixture
def channel(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAT_SESSION_SECRET", SESSION_SECRET)
    monkeypatch.setenv("MEMBER_TOKEN_SECRET", MEMBER_SECRET)
    return WebsiteInput(revocations=ChatSessionRevocations(f"sqlite:///{tmp_path}/sessions.db"))


async def test_a_signed_out_session_token_is_refused(channel):
    token = new_session_token(SESSION_SECRET, "M-7F3A")
    session = await channel.live_session(token)
    assert session and session.conversation_id.startswith("web-")
    channel.revocations.revoke(session.conversation_id, session.expires_at)
    assert await channel.live_session(token) is None


async def test_tokens_signed_with_another_secret_are_refused(channel):
    assert await channel.live_session(new_session_token(MEMBER_SECRET, "M-7F3A")) is None
    assert await channel.live_session({"not": "a token"}) is None


async def test_without_its_secret_the_channel_refuses_every_session(monkeypatch, tmp_path):
    monkeypatch.delenv("CHAT_SESSION_SECRET", raising=False)
    channel = WebsiteInput(revocations=ChatSessionRevocations(f"sqlite:///{tmp_path}/sessions.db"))
    assert await channel.live_session(new_session_token(SESSION_SECRET, "M-7F3A")) is None


def test_only_the_sessions_own_member_token_goes_into_metadata(channel):
    session = read_session_token(new_session_token(SESSION_SECRET, "M-7F3A"), SESSION_SECRET)
    own = issue_member_token("M-7F3A", MEMBER_SECRET, conversation_id=session.conversation_id)
    assert channel.metadata_for(
        session, {"customData": {"member_token": own, "member_number": "M-0000", "verified": True}}
    ) == {"member_token": own}
    other_conversation = issue_member_token("M-7F3A", MEMBER_SECRET, conversation_id="web-someone-else")
    other_member = issue_member_token("M-0000", MEMBER_SECRET, conversation_id=session.conversation_id)
    for token in (other_conversation, other_member, "not.a.token"):
        assert channel.metadata_for(session, {"customData": {"member_token": token}}) == {}
    guest = read_session_token(new_session_token(SESSION_SECRET), SESSION_SECRET)
    assert channel.metadata_for(guest, {"customData": {"member_token": own}}) == {}


def test_a_session_token_lives_hours_not_forever():
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=13)
    assert read_session_token(new_session_token(SESSION_SECRET, now=old), SESSION_SECRET) is None
