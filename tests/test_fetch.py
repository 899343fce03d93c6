"""`--fetch-links` against a real HTTP server on 127.0.0.1; the guard blocks everything else."""

import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import make_settings, run_cli

from mentor.corpus import fetch
from mentor.errors import FetchRefused, Unreachable
from mentor.search import index

PAGE = b"""<html><head><title>Pandas in ten minutes</title><script>var secret = 1;</script></head>
<body><nav>menu</nav><h1>Pandas basics</h1><p>A DataFrame is a table with labelled axes.</p>
<p>Use groupby to aggregate rows by a key.</p></body></html>"""

SEEN = []  # (path, Host header) of every request the test server received


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        SEEN.append((self.path, self.headers.get("Host")))
        if self.path == "/page":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
        elif self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.1.2.3/admin")
            self.end_headers()
        elif self.path == "/to-wrapped":
            self.send_response(302)
            self.send_header("Location", "http://[64:ff9b::a9fe:a9fe]/latest")
            self.end_headers()
        elif self.path == "/huge":
            self._send(200, "text/plain", b"x" * (fetch.MAX_BYTES + 10))
        elif self.path == "/rot13":
            self._send(200, "text/html; charset=rot13", PAGE)
        elif self.path == "/to-bad-idna":
            self.send_response(302)
            self.send_header("Location", "http://xn--a.com/")
            self.end_headers()
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/binary":
            self._send(200, "application/octet-stream", b"\x00\x01")
        else:
            self._send(404, "text/plain", b"nope")

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_fetches_html_as_text_into_a_dated_cache(server, tmp_path):
    report = fetch.fetch_links([f"{server}/page", f"{server}/moved"], tmp_path, allow_loopback=True)
    assert report.fetched == [f"{server}/page", f"{server}/moved"] and not report.failed
    page = json.loads(fetch.cache_path(tmp_path, f"{server}/page").read_text())
    assert page["title"] == "Pandas in ten minutes"
    assert "A DataFrame is a table" in page["text"] and "secret" not in page["text"] and "menu" not in page["text"]
    assert page["fetched_at"][:4].isdigit()
    again = fetch.fetch_links([f"{server}/page"], tmp_path, allow_loopback=True)
    assert again.cached == [f"{server}/page"]  # cached pages are not fetched twice


def test_refuses_loopback_private_and_link_local_by_default(server, tmp_path):
    report = fetch.fetch_links([f"{server}/page"], tmp_path)
    assert "non-public" in report.refused[f"{server}/page"]
    for url in ("http://10.0.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest", "http://[::1]/"):
        with pytest.raises(FetchRefused):
            fetch.check_address(url)
    with pytest.raises(FetchRefused, match="http"):
        fetch.check_address("file:///etc/passwd")


def test_redirects_are_checked_and_limits_hold(server, tmp_path):
    report = fetch.fetch_links(
        [f"{server}/to-private", f"{server}/huge", f"{server}/binary", f"{server}/missing"],
        tmp_path,
        allow_loopback=True,
    )
    assert "10.1.2.3" in report.refused[f"{server}/to-private"]
    assert "larger than" in report.refused[f"{server}/huge"]
    assert "not a text page" in report.refused[f"{server}/binary"]
    assert "404" in report.failed[f"{server}/missing"]
    assert not list(tmp_path.glob("*.json"))  # nothing half-written


def test_fetched_pages_are_indexed_with_the_page_as_source(server, tmp_path, corpus_copy):
    fetch.fetch_links([f"{server}/page"], corpus_copy / "cache", allow_loopback=True)
    settings = make_settings(tmp_path, corpus_dir=corpus_copy)
    manifest = index.build(settings, progress=False)
    assert manifest["counts"]["pages"] >= 1
    from mentor.search.index import open_index
    from mentor.search.retrieve import Retriever

    idx, _ = open_index(settings)
    hit = Retriever(idx, settings).search("labelled axes table groupby", k=3).hits[0]
    assert hit.chunk.kind == "page" and hit.to_dict()["url"] == f"{server}/page"
    assert "fetched" in hit.chunk.section


def test_offline_ingest_skips_fetching_with_a_message(tmp_path, corpus_copy):
    result = run_cli(
        "ingest",
        "--fetch-links",
        "--no-progress",
        "--index-dir",
        str(tmp_path / "index"),
        "--embed",
        "lsa",
        "--corpus-dir",
        str(corpus_copy),
    )
    assert result.returncode == 0, result.stderr
    assert "skipped fetching linked pages: the network is not reachable" in result.stderr
    assert "Traceback" not in result.stderr
    assert "indexed" in result.stdout


WRAPPED_METADATA = (
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64
    "http://[64:ff9b:1::a9fe:a9fe]/",  # local-use NAT64
    "http://[2002:a9fe:a9fe::]/",  # 6to4
    "http://[::ffff:169.254.169.254]/",  # IPv4-mapped
    "http://[::a9fe:a9fe]/",  # IPv4-compatible
    "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",  # Teredo, client 169.254.169.254
    "http://2852039166/",  # 169.254.169.254 as one decimal number
    "http://0x7f000001/",  # 127.0.0.1 in hex
    "http://0177.0.0.1/",  # 127.0.0.1 in octal
    "http://127.1/",  # 127.0.0.1, short form
)


@pytest.mark.parametrize("url", WRAPPED_METADATA)
def test_refuses_private_addresses_wrapped_in_ipv6_or_odd_ipv4_spellings(url):
    with pytest.raises(FetchRefused):
        fetch.check_address(url)
    with pytest.raises(FetchRefused):
        fetch.check_address(url, allow_loopback=True)  # allowing loopback does not allow these


def test_a_name_resolving_to_a_wrapped_private_address_is_refused_and_public_ones_pass(server, tmp_path):
    with pytest.raises(FetchRefused, match="169.254.169.254"):
        fetch.check_address("https://meta.test/", resolve=lambda host, port: ["64:ff9b::a9fe:a9fe"])
    for ok in ("64:ff9b::808:808", "::ffff:8.8.8.8", "2002:808:808::1", "2606:4700::1", "8.8.8.8"):
        assert fetch.check_address("https://ok.test/", resolve=lambda host, port: [ok]) == [ok]
    report = fetch.fetch_links([f"{server}/to-wrapped"], tmp_path, allow_loopback=True)
    assert "169.254.169.254" in report.refused[f"{server}/to-wrapped"]  # a redirect hop is checked too


def _port(url):
    return int(url.rsplit(":", 1)[1])


def test_a_rebinding_name_cannot_make_the_client_connect_to_loopback(server, tmp_path, monkeypatch):
    """The system resolver answers a public address for the check, then 127.0.0.1 to anyone who
    asks again (as the HTTP client would, to connect). The server on 127.0.0.1 must see nothing."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            return real(next(answers, "127.0.0.1"), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    SEEN.clear()
    url = f"http://rebind.test:{_port(server)}/page"
    report = fetch.fetch_links([url], tmp_path)
    assert SEEN == [] and url not in report.fetched
    assert "93.184.216.34" in report.failed[url]  # it connected (tried to) where it checked


def test_the_client_connects_to_the_checked_address_with_the_original_host_name(server, tmp_path):
    """The name is looked up once, by the injected resolver; the guard would refuse any other
    lookup of `pages.test`. The server still sees the page's own name in the Host header."""
    calls = []

    def resolve(host, port):
        calls.append(host)
        return ["127.0.0.1"]

    SEEN.clear()
    named = f"pages.test:{_port(server)}"
    report = fetch.fetch_links([f"http://{named}/moved"], tmp_path, allow_loopback=True, resolve=resolve)
    assert report.fetched == [f"http://{named}/moved"]
    assert calls == ["pages.test", "pages.test"]  # once per hop: /moved, then /page
    assert SEEN == [("/moved", named), ("/page", named)]
    page = json.loads(fetch.cache_path(tmp_path, f"http://{named}/moved").read_text())
    assert page["final_url"] == f"http://{named}/page"


def test_one_unresolvable_name_does_not_stop_the_run(server, tmp_path):
    urls = ["http://no-such-host.invalid/a", "http://no-such-host.invalid/b", f"{server}/page"]
    report = fetch.fetch_links(urls, tmp_path, allow_loopback=True)
    assert report.offline is None and report.fetched == [f"{server}/page"]
    assert set(report.failed) == set(urls[:2]) and "no-such-host.invalid" in report.failed[urls[0]]


def test_several_unreachable_hosts_in_a_row_mean_offline(server, tmp_path):
    urls = [f"http://host{i}.invalid/" for i in range(fetch.OFFLINE_AFTER)] + [f"{server}/page"]
    report = fetch.fetch_links(urls, tmp_path, allow_loopback=True)
    assert report.offline and "not reachable" in report.offline and not report.fetched
    assert report.summary().startswith("skipped fetching linked pages: the network is not reachable")


def test_malformed_urls_are_refused_without_stopping_the_run(server, tmp_path):
    urls = ["http://[::1", "http://a..b/", "http://host:99999/", f"{server}/page"]
    report = fetch.fetch_links(urls, tmp_path, allow_loopback=True)
    assert set(report.refused) == set(urls[:3]) and report.fetched == [f"{server}/page"]


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for `pages.test`; records
    the TLS server names (SNI) it is asked for."""
    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=pages.test",
            "-addext",
            "subjectAltName=DNS:pages.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.server_address[1], cert, names
    srv.shutdown()


def test_https_to_a_pinned_address_still_checks_the_certificate_for_the_name(tls_server):
    import httpx

    port, cert, names = tls_server
    to_loopback = lambda host, port: ["127.0.0.1"]  # noqa: E731
    with httpx.Client(verify=ssl.create_default_context(cafile=str(cert)), trust_env=False) as client:
        page = fetch.fetch_page(
            f"https://pages.test:{port}/page", allow_loopback=True, client=client, resolve=to_loopback
        )
        assert page["title"] == "Pandas in ten minutes" and names[-1] == "pages.test"
        with pytest.raises(Unreachable, match="certificate"):  # same server, another name
            fetch.fetch_page(f"https://other.test:{port}/page", allow_loopback=True, client=client, resolve=to_loopback)


def test_hostile_pages_are_refused_or_read_not_a_crash(server, tmp_path):
    """A charset that is not a text encoding, a redirect to a name IDNA refuses: one URL's
    outcome each, and the run goes on to the next URL."""
    urls = [f"{server}/rot13", f"{server}/to-bad-idna", f"{server}/page"]
    report = fetch.fetch_links(urls, tmp_path, allow_loopback=True)
    assert f"{server}/rot13" in report.fetched and f"{server}/page" in report.fetched
    assert "unusable address" in report.refused[f"{server}/to-bad-idna"]
    assert "DataFrame" in json.loads(fetch.cache_path(tmp_path, f"{server}/rot13").read_text())["text"]


def test_a_page_that_drips_is_cut_off_at_its_deadline(server):
    started = time.monotonic()
    with pytest.raises(FetchRefused, match="took longer"):
        fetch.fetch_page(f"{server}/drip", allow_loopback=True, deadline_s=1.0)
    assert time.monotonic() - started < 5
