"""`--fetch-links` against a real HTTP server on 127.0.0.1; the guard blocks everything else."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import make_settings, run_cli
from mentor import fetch, index
from mentor.errors import FetchRefused

PAGE = b"""<html><head><title>Pandas in ten minutes</title><script>var secret = 1;</script></head>
<body><nav>menu</nav><h1>Pandas basics</h1><p>A DataFrame is a table with labelled axes.</p>
<p>Use groupby to aggregate rows by a key.</p></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
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
        elif self.path == "/huge":
            self._send(200, "text/plain", b"x" * (fetch.MAX_BYTES + 10))
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
    report = fetch.fetch_links([f"{server}/to-private", f"{server}/huge", f"{server}/binary", f"{server}/missing"],
                               tmp_path, allow_loopback=True)
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
    from mentor.index import open_index
    from mentor.retrieve import Retriever

    idx, _ = open_index(settings)
    hit = Retriever(idx, settings).search("labelled axes table groupby", k=3).hits[0]
    assert hit.chunk.kind == "page" and hit.to_dict()["url"] == f"{server}/page"
    assert "fetched" in hit.chunk.section


def test_offline_ingest_skips_fetching_with_a_message(tmp_path, corpus_copy):
    result = run_cli("ingest", "--fetch-links", "--no-progress", "--index-dir", str(tmp_path / "index"),
                     "--embed", "lsa", "--corpus-dir", str(corpus_copy))
    assert result.returncode == 0, result.stderr
    assert "skipped fetching linked pages: the network is not reachable" in result.stderr
    assert "Traceback" not in result.stderr
    assert "indexed" in result.stdout
