"""The cluster as `make run-cluster` starts it (two Rasa replicas, two action servers, two billing workers,
the website and the desk behind nginx; PostgreSQL and Redis), once for this module, on free ports and its
own databases. What a member or an operator would notice: what nginx serves, replies, the stored
conversation, the billing payments, with a replica or an action server killed.

The fault tests kill processes: they come last in the file (pytest runs them in order); the action server
is restarted, the Rasa replica (the very last) is not.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
import socketio

from assistant.cluster.settings import STORES, ClusterPorts, ClusterSettings
from assistant.cluster.stack import environment, start_cluster
from assistant.rasa_api import api_headers
from assistant.service_processes import Service, launch, stop, wait_healthy
from postgres_for_tests import drop_postgres_database, unavailable
from tests.e2e.stack import BILLING_API_TOKEN, MODEL, RASA_JWT_SECRET, SECRETS
from tests.processes import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Cluster:
    def __init__(self, settings: ClusterSettings, env: dict[str, str], running: list[Service]):
        self.settings = settings
        self.env = env
        self.running = running
        ports = settings.ports
        self.site = f"http://127.0.0.1:{ports.site}"
        self.replicas = [f"http://127.0.0.1:{port}" for port in ports.rasa]
        self.internal_rasa_api = f"http://127.0.0.1:{ports.rasa_api}"
        self.internal_actions = f"http://127.0.0.1:{ports.actions}"
        self.internal_billing = f"http://127.0.0.1:{ports.billing_api}"

    def service(self, name: str) -> Service:
        return next(s for s in self.running if s.name == name)

    def say(self, sender: str, text: str, base: str | None = None) -> str:
        answer = httpx.post(
            f"{base or self.site}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=120,
        )
        assert answer.status_code == 200, answer.text
        return "\n".join(m.get("text", "") for m in answer.json())

    def tracker_events(self, sender: str) -> list[dict]:
        answer = httpx.get(
            f"{self.internal_rasa_api}/conversations/{sender}/tracker",
            headers=api_headers(RASA_JWT_SECRET),
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()["events"]

    def payments(self, account: str, member: str) -> list[dict]:
        answer = httpx.get(
            f"{self.internal_billing}/accounts/{account}/payments",
            headers={"Authorization": f"Bearer {BILLING_API_TOKEN}", "X-Member-Number": member},
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()

    def member_number(self, account: str, date_of_birth: str, zip_code: str) -> str:
        answer = httpx.post(
            f"{self.internal_billing}/verify",
            json={"account_number": account, "date_of_birth": date_of_birth, "zip_code": zip_code},
            headers={"Authorization": f"Bearer {BILLING_API_TOKEN}", "X-Client-Id": "cluster-tests"},
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()["member_number"]

    def restart(self, service: Service) -> None:
        with open(self.settings.work_dir / "cluster.log", "a") as log:
            launch(service, self.env, log)
        assert wait_healthy(service, timeout=600), f"{service.name} did not come back"


def free_ports(count: int) -> list[int]:
    return [free_port() for _ in range(count)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: `make test` trains it first (or run `make model`)", pytrace=False)
    if not shutil.which(NGINX):
        pytest.fail("nginx is missing: `make cluster` installs it", pytrace=False)
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    ports = ClusterPorts(
        site=free_port(),
        desk=free_port(),
        rasa_api=free_port(),
        actions=free_port(),
        billing_api=free_port(),
        rasa=free_ports(2),
        action_servers=free_ports(2),
        billing_workers=free_ports(2),
        billing_pages=free_ports(2),
        website=free_port(),
        desk_app=free_port(),
    )
    settings = ClusterSettings(
        ports=ports,
        work_dir=tmp_path_factory.mktemp("cluster"),
        database_prefix=f"cluster_test_{uuid.uuid4().hex[:8]}",
        public_name="127.0.0.1",
        nginx=NGINX,
        model=str(MODEL),
    )
    running: list[Service] = []
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRETS.items():
            patch.setenv(name, value)
        env = environment(settings)
    try:
        with open(settings.work_dir / "cluster.log", "a") as log:
            try:
                start_cluster(settings, env, log, running)
            except Exception as error:
                if "psycopg2" in type(error).__module__:
                    unavailable("PostgreSQL", error)
                pytest.fail(f"the cluster did not start: {error}; see {log.name}", pytrace=False)
        yield Cluster(settings, env, running)
    finally:
        stop(running)
        for store in STORES:
            try:
                drop_postgres_database(settings.database_url(store))
            except Exception:  # noqa: BLE001 - PostgreSQL was unreachable: nothing was created
                pass


def new_sender() -> str:
    return f"cluster-{uuid.uuid4().hex[:12]}"


def verify_maria(cluster: Cluster, sender: str) -> str:
    assert "account number or medical record number" in cluster.say(sender, "what's my balance?")
    assert "date of birth" in cluster.say(sender, "2000100001")
    assert "ZIP" in cluster.say(sender, "April 12, 1985")
    return cluster.say(sender, "94612")


# What nginx serves, and what it does not.


def test_nginx_serves_the_website_payment_page_channels_and_desk(cluster):
    assert httpx.get(f"{cluster.site}/", timeout=30).status_code == 200
    assert httpx.get(f"{cluster.site}/webhooks/rest/", timeout=30).json() == {"status": "ok"}
    assert httpx.get(f"{cluster.site}/webhooks/twilio_sms/", timeout=30).status_code == 200
    # socket.io's handshake through nginx
    handshake = httpx.get(f"{cluster.site}/socket.io/?EIO=4&transport=polling", timeout=30)
    assert handshake.status_code == 200 and '"sid"' in handshake.text
    # The payment page answers (an unknown link is the page's own refusal, not nginx's 404)
    page = httpx.get(f"{cluster.site}/pay/not-a-real-link", timeout=30)
    assert page.status_code in (404, 410) and "nginx" not in page.text
    desk = f"http://127.0.0.1:{cluster.settings.ports.desk}"
    assert httpx.get(f"{desk}/login", timeout=30).status_code == 200
    # A member's REST message through nginx is answered by a replica.
    assert "1-888-225-7202" in cluster.say(new_sender(), "who do I call about a claim?")


def test_nginx_exposes_neither_rasa_api_nor_action_servers_nor_billing_api(cluster):
    jwt = api_headers(RASA_JWT_SECRET)
    # Rasa's HTTP API, even with a valid token: not on the public listener (the website's 404).
    for path in ("/status", "/version", "/conversations/anyone/tracker"):
        assert httpx.get(f"{cluster.site}{path}", headers=jwt, timeout=30).status_code == 404
    assert httpx.post(
        f"{cluster.site}/model/parse", json={"text": "hi"}, headers=jwt, timeout=30
    ).status_code in (
        404,
        405,
    )
    # The action server's webhook, with its own secret: not there either.
    call = {"next_action": "action_session_start", "sender_id": "x", "tracker": {}, "domain": {}}
    secret = {"Authorization": f"Bearer {SECRETS['ACTION_SERVER_TOKEN']}"}
    answer = httpx.post(f"{cluster.site}/webhook", json=call, headers=secret, timeout=30)
    assert answer.status_code in (404, 405) and "events" not in answer.text
    # The billing API: not on the public listeners.
    billing = {"Authorization": f"Bearer {BILLING_API_TOKEN}"}
    assert httpx.get(f"{cluster.site}/accounts/2000100001", headers=billing, timeout=30).status_code == 404
    # Nor on the desk's.
    desk = f"http://127.0.0.1:{cluster.settings.ports.desk}"
    assert httpx.get(f"{desk}/webhook", timeout=30).status_code == 404


def test_internal_listeners_still_demand_their_secrets(cluster):
    call = {"next_action": "action_session_start", "sender_id": "x", "tracker": {"events": []}, "domain": {}}
    refused = httpx.post(f"{cluster.internal_actions}/webhook", json=call, timeout=30)
    assert refused.status_code in (401, 403)
    wrong = httpx.post(
        f"{cluster.internal_actions}/webhook",
        json=call,
        headers={"Authorization": "Bearer guess"},
        timeout=30,
    )
    assert wrong.status_code in (401, 403)
    assert httpx.get(f"{cluster.internal_rasa_api}/status", timeout=30).status_code == 401
    # The internal listeners are on loopback only: the generated configuration binds them nowhere else.
    config = (cluster.settings.work_dir / "nginx.conf").read_text()
    for port in (
        cluster.settings.ports.rasa_api,
        cluster.settings.ports.actions,
        cluster.settings.ports.billing_api,
    ):
        assert f"listen 127.0.0.1:{port};" in config


# One conversation through two replicas at once.


def test_one_conversation_through_both_replicas_at_once_keeps_every_turn_in_order(cluster):
    sender = new_sender()
    questions = [
        "who do I call about a claim?",
        "can I pay my bill over the phone",
        "what payment methods do you accept",
        "who do I call about a claim?",
        "can I pay my bill over the phone",
        "what payment methods do you accept",
    ]
    replies: dict[int, str] = {}
    start = threading.Barrier(len(questions))

    def ask(i: int) -> None:
        start.wait()
        replies[i] = cluster.say(sender, questions[i], base=cluster.replicas[i % 2])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(questions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(replies.get(i) for i in range(len(questions))), f"a message went unanswered: {replies}"
    events = cluster.tracker_events(sender)
    turns: list[tuple[str, list[str]]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event["text"], []))
        elif event["event"] == "bot" and turns:
            turns[-1][1].append(event.get("text") or "")
    # None lost: every message stored once, each followed by its own answer (turns never interleaved).
    assert sorted(text for text, _ in turns) == sorted(questions)
    assert sorted("\n".join(answers) for _, answers in turns) == sorted(replies.values())
    timestamps = [event["timestamp"] for event in events]
    assert timestamps == sorted(timestamps)
    # Between two member messages the assistant went back to listening: one turn at a time.
    kinds = [e["event"] if e["event"] != "action" else e["name"] for e in events]
    users = [i for i, kind in enumerate(kinds) if kind == "user"]
    for before, after in zip(users, users[1:], strict=False):
        assert "action_listen" in kinds[before:after]


# The widget's socket: sticky, and pushed messages reach it from any replica.


async def test_a_reply_pushed_through_any_replica_reaches_the_widget_socket_through_nginx(cluster):
    async with httpx.AsyncClient(base_url=cluster.site, timeout=30) as browser:
        assert (await browser.get("/")).status_code == 200
        session = (await browser.get("/api/chat-session")).json()
    received: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    client = socketio.AsyncClient()
    client.on("bot_uttered", lambda data: received.put_nowait(data.get("text", "")))
    client.on("session_confirm", lambda conversation: confirmed.set_result(conversation))
    await client.connect(
        cluster.site,
        socketio_path="/socket.io",
        # Long polling, the widget's fallback: a series of requests that must all reach the replica holding
        # the session (nginx's sticky hash), the harder case for a balancer than one websocket.
        transports=["polling"],
        headers={"Origin": cluster.site},
    )
    try:
        await client.emit("session_request", {"session_token": session["session_token"]})
        conversation = await asyncio.wait_for(confirmed, 60)
        await client.emit("user_uttered", {"message": "who do I call about a claim?"})
        assert "1-888-225-7202" in await asyncio.wait_for(received.get(), 120)
        # An agent's reply as the desk sends it, through each replica (one holds this socket, one does not)
        # and through the internal listener the desk uses.
        async with httpx.AsyncClient(headers=api_headers(RASA_JWT_SECRET), timeout=60) as desk:
            for i, base in enumerate([*cluster.replicas, cluster.internal_rasa_api]):
                text = f"agent reply {i} {uuid.uuid4().hex[:6]}"
                pushed = await desk.post(
                    f"{base}/conversations/{conversation}/tracker/events",
                    params={"output_channel": "latest", "execute_side_effects": "true"},
                    json=[{"event": "bot", "text": text}],
                )
                assert pushed.status_code == 200, pushed.text
                assert await asyncio.wait_for(received.get(), 30) == text
    finally:
        await client.disconnect()


# Faults (last: they kill processes; each test brings the cluster back).


def test_an_action_server_killed_mid_payment_loses_nothing_and_charges_once(cluster):
    sender = new_sender()
    maria = cluster.member_number("2000100001", "1985-04-12", "94612")
    before = {p["confirmation_number"] for p in cluster.payments("2000100001", maria)}
    assert "you're verified" in verify_maria(cluster, sender)
    assert "Which account?" in cluster.say(sender, "I'd like to make a payment")
    assert "How much would you like to pay?" in cluster.say(sender, "the medical bill one")
    killed = cluster.service("Action server 1")
    killed.process.kill()
    killed.process.wait()
    # The conversation carries on on the other action server, the read-back and the payment included.
    assert "Which payment method?" in cluster.say(sender, "$12.34")
    assert "pay $12.34 from your Visa ending 4242" in cluster.say(sender, "my visa")
    done = cluster.say(sender, "yes")
    assert "$12.34 was paid" in done
    cluster.restart(killed)
    # Back with both: a second "yes" does not pay again, and the member's history is intact.
    cluster.say(sender, "yes")
    new = [p for p in cluster.payments("2000100001", maria) if p["confirmation_number"] not in before]
    assert [p["amount_cents"] for p in new] == [1234]
    assert new[0]["confirmation_number"] in done
    assert "$" in cluster.say(sender, "what's my balance?")


def test_a_rasa_replica_killed_while_members_talk_the_others_carry_on_with_their_history(cluster):
    members = [new_sender() for _ in range(3)]
    for sender in members:
        assert "you're verified" in verify_maria(cluster, sender)
    killed = cluster.service("Rasa replica 1")
    stop_talking = threading.Event()
    failures: list[str] = []

    def keep_talking(sender: str) -> None:
        while not stop_talking.is_set():
            answer = httpx.post(
                f"{cluster.site}/webhooks/rest/webhook",
                json={"sender": sender, "message": "who do I call about a claim?"},
                timeout=120,
            )
            if answer.status_code != 200:
                failures.append(f"{answer.status_code}")

    talkers = [threading.Thread(target=keep_talking, args=(sender,)) for sender in members]
    for thread in talkers:
        thread.start()
    killed.process.kill()
    killed.process.wait()
    stop_talking.set()
    for thread in talkers:
        thread.join()
    # A request on the killed replica at that moment may fail (at most one per member); every later
    # message is answered by the other replica, with the member still verified (history kept).
    assert len(failures) <= len(members), failures
    for sender in members:
        reply = cluster.say(sender, "what's my balance?")
        assert "$" in reply and "account number" not in reply
    # Last in the module: the cluster is stopped next, so the replica is not restarted (a minute of CPU).
