"""The front-desk server against hostile clients: DNS rebinding, path tricks, idle sockets,
password guessing, a busy port and terminal escapes (issue 15)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import edit_yaml
from handouts.errors import HandoutsError
from handouts.hosts import name_from_header
from handouts.serve import access_token
from handouts.web import create_app
from handouts.web.throttle import LoginThrottle, client_key
from smtpserver import free_port
from webserver import running_server, serve_command

PASSWORD = "correct horse battery"


@pytest.fixture
def client(ws_path):
    return create_app(ws_path).test_client()


def form_token(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


# -- 15.1 DNS rebinding -------------------------------------------------------------------------

FOREIGN_HOSTS = ["attacker.example:8765", "attacker.example", "localhost.attacker.example:8765",
                 "127.0.0.1.attacker.example", "127.0.0.2:8765", "localhost:8765@attacker.example",
                 "localhost:evil", "", "10.0.0.5:8765"]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_foreign_host_name_gets_no_page_and_no_token(client, host):
    for path in ("/", "/h/medial-branch-block", "/login", "/static/app.css"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code in (400, 421), (path, host)
        assert "csrf" not in response.get_data(as_text=True)


def test_a_rebound_page_cannot_send_mail(client, ws_path):
    token = form_token(client.get("/h/medial-branch-block?clinic=riverbend").get_data(as_text=True))
    response = client.post("/email/medial-branch-block", headers={"Host": "attacker.example:8765"}, data={
        "csrf": token, "clinic": "riverbend", "lang": "en", "patient_name": "Ana Ruiz", "email": "x@attacker.example"})
    assert response.status_code == 421
    assert not (ws_path / "private/drafts").exists()


@pytest.mark.parametrize("header, name", [("LocalHost:8765", "localhost"), ("[::1]:80", "::1"), ("[0:0::1]", "::1"),
                                          ("localhost\n", None), (" localhost", None), ("localhost:123456", None),
                                          ("[::1]x", None), ("::1", None), ("x.example.:80", None),
                                          ("a, localhost", None), ("localhost:80, attacker.example", None)])
def test_host_headers_are_read_strictly(header, name):
    assert name_from_header(header) == name


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LocalHost", "[::1]:8765", "127.0.0.1"])
def test_the_loopback_names_are_served(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_the_host_it_was_started_for_and_configured_names_are_served(ws_path):
    client = create_app(ws_path, access_token=PASSWORD, host="192.168.1.20").test_client()
    assert client.get("/login", headers={"Host": "192.168.1.20:8765"}).status_code == 200
    assert client.get("/login", headers={"Host": "frontdesk.clinic.example"}).status_code == 421
    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(serve={"allowed_hosts": ["FrontDesk.clinic.example"]}))
    assert client.get("/login", headers={"Host": "frontdesk.clinic.example:8765"}).status_code == 200
    assert client.get("/login", headers={"Host": "attacker.example"}).status_code == 421


def test_on_every_address_ip_literals_and_this_machines_name_are_served(ws_path):
    client = create_app(ws_path, access_token=PASSWORD, host="0.0.0.0").test_client()
    for host in ("192.168.1.20:8765", "[fe80::1]:8765", f"{socket.gethostname()}:8765"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host
    assert client.get("/login", headers={"Host": "attacker.example:8765"}).status_code == 421


def test_a_bad_allowed_hosts_entry_is_a_settings_problem(run_cli, ws_path):
    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(serve={"allowed_hosts": ["bad host/"]}))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "handouts.yaml:" in result.output and "allowed_hosts" in result.output


def test_a_rebinding_request_to_the_real_server_is_refused(ws_path):
    with running_server(ws_path) as base:
        request = urllib.request.Request(base + "/", headers={"Host": "attacker.example:8765"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 421
        assert urllib.request.urlopen(base + "/", timeout=10).status == 200


# -- 15.7 path segments ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/thumb/riverbend/../one-page/handouts.png", "/thumb/riverbend/%2e%2e/one-page/handouts.png",
    "/thumb/riverbend/fr/one-page/medial-branch-block.png", "/thumb/riverbend/EN/one-page/medial-branch-block.png",
    "/thumb/../en/one-page/medial-branch-block.png", "/thumb/riverbend/en/../medial-branch-block.png",
    "/thumb/riverbend/en/one-page/..png", "/thumb/riverbend/..%2Fcontent%2Fen/one-page/medial-branch-block.png",
    "/h/..", "/h/%2e%2e", "/pdf/Medial-Branch-Block",
])
def test_every_path_segment_must_be_a_known_id(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    body = response.get_data(as_text=True)
    assert "readability" not in body and "handouts.yaml" not in body



# -- 15.9 idle and half-sent connections ----------------------------------------------------------

def test_idle_half_sent_connections_do_not_block_the_front_desk(ws_path):
    with running_server(ws_path) as base:
        port = int(base.rsplit(":", 1)[1])
        idle: list[socket.socket] = []
        try:
            for _ in range(150):
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                idle.append(sock)
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # never finished
            time.sleep(0.5)  # let the server take them all in
            started = time.monotonic()
            with urllib.request.urlopen(base + "/static/app.css", timeout=10) as response:
                assert response.status == 200
            elapsed = time.monotonic() - started
            idle[0].settimeout(20)
            assert idle[0].recv(100) == b"", "the server should drop a connection idle for 10 s"
            dropped_after = time.monotonic() - started
        finally:
            for sock in idle:
                sock.close()
    assert elapsed < 2.0, f"a normal request waited {elapsed:.1f} s behind 150 idle connections"
    assert dropped_after < 15


# -- 15.10 login --------------------------------------------------------------------------------

def sign_in(client, password: str, address: str = "192.0.2.7"):
    token = form_token(client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    return client.post("/login", data={"csrf": token, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_repeated_wrong_passwords_are_slowed_down(ws_path):
    client = create_app(ws_path, access_token=PASSWORD).test_client()
    statuses = [sign_in(client, f"guess {n}").status_code for n in range(8)]
    assert statuses[:LoginThrottle.FREE_FAILURES] == [401] * LoginThrottle.FREE_FAILURES
    assert set(statuses[LoginThrottle.FREE_FAILURES:]) == {429}
    locked = sign_in(client, PASSWORD)  # even the right password waits: guessing on is pointless
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    assert "try again" in locked.get_data(as_text=True).lower()
    other_desk = sign_in(client, PASSWORD, address="192.0.2.8")  # another client is not locked out
    assert other_desk.status_code == 302


def test_an_ipv6_guesser_cannot_dodge_the_throttle_by_changing_address(ws_path):
    client = create_app(ws_path, access_token=PASSWORD).test_client()
    statuses = [sign_in(client, "guess", address=f"2001:db8:1:2::{n:x}").status_code for n in range(1, 9)]
    assert statuses[-1] == 429
    assert sign_in(client, PASSWORD, address="2001:db8:1:3::1").status_code == 302  # another network


def test_the_wait_grows_with_each_failure_and_a_success_forgets_them():
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(LoginThrottle.FREE_FAILURES):
        assert throttle.wait("a") == 0
        throttle.failed("a")
    first = throttle.wait("a")
    assert first >= 1
    now[0] += first
    assert throttle.wait("a") == 0
    throttle.failed("a")
    assert throttle.wait("a") > first  # the next failure waits longer
    now[0] += throttle.wait("a")
    throttle.succeeded("a")
    throttle.failed("a")
    assert throttle.wait("a") == 0


def test_clients_are_told_apart_by_address_and_ipv6_network():
    assert client_key("192.0.2.7") == "192.0.2.7"
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_key("2001:db8:1:2::5") == client_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"


def test_the_throttle_remembers_a_bounded_number_of_clients():
    throttle = LoginThrottle(clock=lambda: 0.0, max_clients=100)
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(throttle) <= 100


@pytest.mark.parametrize("password", [" " * 12, " " * 20 + "x", "\t" * 16, "a" * 16, "abab" * 5, "short pw",
                                      "twelve\x00chars!", "  pass  word  "])
def test_a_weak_access_password_is_refused(password):
    for host in ("0.0.0.0", "127.0.0.1"):
        with pytest.raises(HandoutsError, match="at least 12 characters"):
            access_token(host, {"HANDOUTS_SERVE_TOKEN": password})


def test_a_real_access_password_is_accepted():
    assert access_token("0.0.0.0", {"HANDOUTS_SERVE_TOKEN": PASSWORD}) == PASSWORD
    assert access_token("127.0.0.1", {"HANDOUTS_SERVE_TOKEN": ""}) is None


def test_serve_refuses_to_start_with_a_password_of_spaces(ws_path):
    env = {**os.environ, "HANDOUTS_SERVE_TOKEN": " " * 12}
    result = subprocess.run(serve_command(ws_path, free_port(), "--host", "0.0.0.0"), capture_output=True,
                            text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "HANDOUTS_SERVE_TOKEN" in result.stderr and "at least 12 characters" in result.stderr
    assert "Front desk page" not in result.stdout


# -- 15.14 a port in use ------------------------------------------------------------------------

def test_a_port_in_use_is_explained(ws_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(serve_command(ws_path, port), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert f"port {port} is already in use" in result.stderr and "--port" in result.stderr
    assert "internal error" not in result.stderr + result.stdout
    assert "Front desk page" not in result.stdout  # no address announced that does not work


# -- 15.13 terminal escapes -------------------------------------------------------------------------

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m"


def test_the_server_echoes_no_terminal_escapes(run_cli, monkeypatch):
    monkeypatch.setenv("HANDOUTS_SERVE_TOKEN", PASSWORD)
    result = run_cli("serve", "--host", f"desk{ESCAPES}.example", "--port", str(free_port()))
    assert result.exit_code == 1
    assert "desk" in result.output and "internal error" not in result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output)


def test_the_page_shows_no_control_characters_from_the_workspace(client, ws_path):
    path = ws_path / "content/en/medial-branch-block.yaml"
    path.write_text(path.read_text().replace("title: Medial Branch Block",
                                             'title: "Medial\\e[2J Block"\n"bogus\\e]0;x\\a": 1'))
    response = client.get("/h/medial-branch-block?lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "bogus" in body
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", body)
