"""`mentor ingest --fetch-links`: download the pages the roadmaps link to, as text, into
`corpus/cache/` (one JSON file per URL, with the fetch date), so they can be indexed with the
page as their source.

Safety: http(s) only; every host (and every redirect hop) is resolved first and refused when it
points at a private, loopback, link-local or otherwise non-public address, unless the caller
explicitly allows loopback (tests do, for a server on 127.0.0.1). Timeouts and a size cap bound
each download. With no network the command says so and skips fetching instead of failing.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlparse

from mentor.chunks import Chunk, make_chunk_id
from mentor.errors import FetchRefused

MAX_BYTES = 2_000_000
TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
PAGE_LINES = 12  # lines of page text per passage
USER_AGENT = "mentor-link-fetcher/0.1 (+offline-first learning mentor)"


class Offline(Exception):
    """The network cannot be reached at all."""


@dataclass
class FetchReport:
    fetched: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    offline: str | None = None  # why fetching was skipped

    def summary(self) -> str:
        if self.offline:
            return f"skipped fetching linked pages: {self.offline}"
        return (
            f"linked pages: {len(self.fetched)} fetched, {len(self.cached)} already cached, "
            f"{len(self.refused)} refused, {len(self.failed)} failed"
        )


def check_address(url: str, allow_loopback: bool = False) -> None:
    """Raise FetchRefused unless `url` is http(s) and its host resolves only to public addresses."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(f"not an http(s) URL: {url}")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise Offline(f"cannot resolve {parts.hostname} ({exc.strerror or exc})") from exc
    except OSError as exc:
        raise Offline(f"network unavailable ({exc})") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_loopback and allow_loopback:
            continue
        if not addr.is_global or addr.is_multicast:
            raise FetchRefused(f"{parts.hostname} resolves to a non-public address ({addr})")


def _html_to_text(html: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "svg", "form"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    lines = [line.strip() for line in soup.get_text("\n").splitlines()]
    return title, "\n".join(line for line in lines if line)


def fetch_page(url: str, *, allow_loopback: bool = False, client=None) -> dict:
    """Download one page as text; follows redirects itself so every hop is checked."""
    import httpx

    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT_S, headers={"User-Agent": USER_AGENT}, follow_redirects=False)
    try:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            check_address(current, allow_loopback)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        current = urljoin(current, resp.headers.get("location", ""))
                        continue
                    resp.raise_for_status()
                    body = bytearray()
                    for piece in resp.iter_bytes():
                        body += piece
                        if len(body) > MAX_BYTES:
                            raise FetchRefused(f"larger than {MAX_BYTES} bytes")
                    ctype = resp.headers.get("content-type", "")
                    text = body.decode(resp.encoding or "utf-8", errors="replace")
            except httpx.ConnectError as exc:
                raise Offline(f"cannot connect to {urlparse(current).hostname} ({exc})") from exc
            if "html" in ctype:
                title, text = _html_to_text(text)
            elif ctype.startswith("text/"):
                title = ""
            else:
                raise FetchRefused(f"not a text page ({ctype or 'no content type'})")
            return {
                "url": url,
                "final_url": current,
                "title": title or urlparse(url).netloc,
                "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "text": text,
            }
        raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")
    finally:
        if own:
            client.close()


def cache_path(cache_dir: Path, url: str) -> Path:
    return cache_dir / (hashlib.sha1(url.encode()).hexdigest()[:16] + ".json")


def fetch_links(urls: list[str], cache_dir: Path, *, allow_loopback: bool = False, refresh: bool = False) -> FetchReport:
    """Fetch each URL into the cache. Stops early, with a clear reason, when offline."""
    import httpx

    report = FetchReport()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for url in dict.fromkeys(urls):
        target = cache_path(cache_dir, url)
        if target.is_file() and not refresh:
            report.cached.append(url)
            continue
        try:
            page = fetch_page(url, allow_loopback=allow_loopback)
        except Offline as exc:
            if not report.fetched:
                report.offline = f"the network is not reachable ({exc})"
                return report
            report.failed[url] = str(exc)
            continue
        except FetchRefused as exc:
            report.refused[url] = str(exc)
            continue
        except httpx.HTTPError as exc:
            report.failed[url] = f"{type(exc).__name__}: {exc}"
            continue
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(page, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(target)
        report.fetched.append(url)
    return report


def page_chunks(cache_dir: Path) -> list[Chunk]:
    """Cached pages as passages whose source is the page itself."""
    chunks = []
    if not cache_dir.is_dir():
        return chunks
    for path in sorted(cache_dir.glob("*.json")):
        try:
            page = json.loads(path.read_text(encoding="utf-8"))
            url, text = page["url"], page["text"]
        except (ValueError, KeyError):
            continue  # a damaged cache file is skipped, not fatal
        lines = text.split("\n")
        for start in range(0, len(lines), PAGE_LINES):
            part = "\n".join(lines[start : start + PAGE_LINES]).strip()
            if not part:
                continue
            section = f"{page.get('title') or url} (fetched {page.get('fetched_at', '?')[:10]})"
            chunks.append(
                Chunk(
                    chunk_id="web-" + make_chunk_id(url, str(start), part)[:12],
                    doc="web:" + url,
                    title=page.get("title") or url,
                    section=section,
                    heading=page.get("title") or url,
                    first_line=start + 1,
                    last_line=min(start + PAGE_LINES, len(lines)),
                    text=part,
                    links=[url],
                    kind="page",
                    url=url,
                )
            )
    return chunks
