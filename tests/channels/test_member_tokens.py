"""Member tokens verify only the conversation they were issued for, and only for minutes."""

import datetime as dt

import jwt
import pytest

from assistant.member_tokens import issue_member_token, member_from_token

SECRET = "test-member-token-secret-0123456789"


def test_a_token_names_the_member_in_its_own_conversation():
    token = issue_member_token("M-7F3A", SECRET, conversation_id="web-aaa")
    assert member_from_token(token, SECRET, conversation_id="web-aaa") == "M-7F3A"


@pytest.mark.parametrize("conversation", ["web-bbb", "rest-caller", "sms-aaa", ""])
def test_a_leaked_token_verifies_no_other_conversation(conversation):
    token = issue_member_token("M-7F3A", SECRET, conversation_id="web-aaa")
    assert member_from_token(token, SECRET, conversation_id=conversation) is None


def test_forged_expired_and_unbound_tokens_are_refused():
    assert (
        member_from_token(
            issue_member_token("M-7F3A", "another-secret-0123456789abcdefgh", conversation_id="web-a"),
            SECRET,
            conversation_id="web-a",
        )
        is None
    )
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=6)
    assert (
        member_from_token(
            issue_member_token("M-7F3A", SECRET, conversation_id="web-a", now=old),
            SECRET,
            conversation_id="web-a",
        )
        is None
    )
    unbound = jwt.encode(
        {
            "sub": "M-7F3A",
            "aud": "billing-assistant",
            "iss": "member-website",
            "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5),
        },
        SECRET,
        algorithm="HS256",
    )
    assert member_from_token(unbound, SECRET, conversation_id="web-a") is None


def test_tokens_live_minutes():
    now = dt.datetime.now(dt.timezone.utc)
    token = issue_member_token("M-7F3A", SECRET, conversation_id="web-a", now=now - dt.timedelta(minutes=4))
    assert member_from_token(token, SECRET, conversation_id="web-a") == "M-7F3A"
    with pytest.raises(ValueError):
        issue_member_token("M-7F3A", SECRET, conversation_id="")
