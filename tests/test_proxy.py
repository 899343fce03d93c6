"""deploy/nginx.conf through a real nginx (Debian's `nginx` package; skipped without it): the
config passes `nginx -t`, a browser stays on one page replica, and /api/ spreads over the API
workers. The compose services are stood in for by HTTP servers on 127.0.0.1, two of each, put
in place of the upstreams' compose names; everything else is the shipped file."""

import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian package nginx)")


def backend(name: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            body = f"{name} {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def local_conf(tmp: Path, port: int, upstreams: dict[str, list[int]]) -> Path:
    """The shipped config with the compose names replaced by loopback servers, listening on
    `port`, and its logs and temporary files in `tmp` (so it runs without root)."""
    text = CONF.read_text(encoding="utf-8")
    for service, ports in upstreams.items():
        servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
        text, n = re.subn(rf"server {service}:\d+;", servers, text)
        assert n == 1, service
    text, n = re.subn(r"listen 80;", f"listen 127.0.0.1:{port};", text)
    assert n == 1
    temp = " ".join(f"{kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = text.replace("http {", f"http {{\n    access_log off; {temp}", 1)
    path = tmp / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def nginx_args(tmp: Path, conf: Path, *extra: str) -> list[str]:
    return [NGINX, "-p", str(tmp), "-c", str(conf), "-g", f"pid {tmp / 'nginx.pid'}; error_log stderr;", *extra]


@pytest.fixture
def proxy(tmp_path):
    servers = {name: backend(name) for name in ("page-1", "page-2", "api-1", "api-2")}
    ports = {name: s.server_address[1] for name, s in servers.items()}
    port = free_port()
    upstreams = {"page": [ports["page-1"], ports["page-2"]], "api": [ports["api-1"], ports["api-2"]]}
    conf = local_conf(tmp_path, port, upstreams)
    check = subprocess.run(nginx_args(tmp_path, conf, "-t"), capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    nginx_cmd = nginx_args(tmp_path, conf)
    nginx_cmd[-1] = f"daemon off; {nginx_cmd[-1]}"
    process = subprocess.Popen(nginx_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while not listening(port):
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "nginx did not start listening within 10 s"
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=10) as client:
            yield Browserless(client)
    finally:
        process.terminate()
        process.wait(timeout=10)
        for s in servers.values():
            s.shutdown()


class Browserless:
    """Requests that carry only the cookies given (httpx would keep the ones it is sent)."""

    def __init__(self, client: httpx.Client):
        self.client = client

    def get(self, path: str, cookies: dict | None = None) -> httpx.Response:
        self.client.cookies.clear()
        header = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
        return self.client.get(path, headers={"Cookie": header} if header else {})


def test_a_browser_stays_on_one_page_replica(proxy):
    first_visits = {}
    for _ in range(20):
        reply = proxy.get("/")
        cookie = re.fullmatch(r"mentor_page=(\w+); Path=/; HttpOnly; SameSite=Lax", reply.headers["set-cookie"])[1]
        first_visits[cookie] = reply.text.split()[0]
    assert set(first_visits.values()) == {"page-1", "page-2"}  # new browsers are spread over the replicas
    for cookie, replica in list(first_visits.items())[:6]:
        for path in ("/", "/gradio_api/queue/join", "/gradio_api/queue/data?session_hash=x", "/assets/app.js"):
            reply = proxy.get(path, cookies={"mentor_page": cookie})
            assert reply.text == f"{replica} {path}"  # the same replica, every path of the page
            assert "set-cookie" not in reply.headers  # set once


def test_the_api_goes_round_robin_to_the_workers(proxy):
    seen = [proxy.get("/api/health", cookies={"mentor_page": "same-browser"}).text for _ in range(6)]
    assert sorted(seen) == ["api-1 /api/health"] * 3 + ["api-2 /api/health"] * 3
    assert "set-cookie" not in proxy.get("/api/health").headers  # the API needs no stickiness
    assert proxy.get("/openapi.json").text.split()[0].startswith("api-")
    assert proxy.get("/docs").text.split()[0].startswith("api-")
