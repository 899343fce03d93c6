"""`mentor ingest --fetch-links`: download the pages the roadmaps link to, as text, into
`corpus/cache/` (one JSON file per URL, with the fetch date), so they can be indexed with the
page as their source.

Safety (SSRF): http(s) only. Every host, and every redirect hop, is resolved once and refused
when any answer is not globally routable: private, loopback, link-local, reserved, multicast,
and the same addresses wrapped in IPv6 (IPv4-mapped, IPv4-compatible, NAT64 `64:ff9b::/96`,
6to4, Teredo: the embedded IPv4 address is checked too; local-use NAT64 `64:ff9b:1::/48` is
refused outright). IPv4 spelled as one number, in hex or octal, or shortened (`2852039166`,
`0x7f000001`, `0177.0.0.1`, `127.1`) is refused before any lookup. The HTTP client then
connects to an address that was checked, never looking the name up again (so a rebinding name
cannot swap in 127.0.0.1), while the Host header and TLS name check use the URL's own name.
Environment proxies are ignored (a proxy would resolve the name itself). Loopback is allowed
only when the caller asks (tests do, for a server on 127.0.0.1).

Timeouts and a size cap bound each download. A URL whose host cannot be resolved or reached is
recorded as failed and the run goes on; only when several different hosts in a row cannot be
reached does the run stop, saying the network is not reachable, instead of failing.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlparse

from mentor.corpus.chunks import Chunk, make_chunk_id
from mentor.errors import FetchRefused, Unreachable

MAX_BYTES = 2_000_000
TIMEOUT_S = 10.0  # for each connect and each read
PAGE_DEADLINE_S = 30.0  # for a whole page: a server that drips a byte at a time is cut off
MAX_REDIRECTS = 5
OFFLINE_AFTER = 3  # different hosts unreachable in a row before the run calls the network down
PAGE_LINES = 12  # lines of page text per passage
USER_AGENT = "mentor-link-fetcher/0.1 (+offline-first learning mentor)"

Resolver = Callable[[str, int], list[str]]  # (host, port) -> IP address strings

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


@dataclass
class FetchReport:
    fetched: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    offline: str | None = None  # why fetching was skipped (or stopped)

    def summary(self) -> str:
        if self.offline and not self.fetched:
            return f"skipped fetching linked pages: {self.offline}"
        counts = (
            f"linked pages: {len(self.fetched)} fetched, {len(self.cached)} already cached, "
            f"{len(self.refused)} refused, {len(self.failed)} failed"
        )
        return f"{counts}; stopped early: {self.offline}" if self.offline else counts


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`, in its order of preference."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def embedded_ipv4(addr: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (6to4, Teredo server and client, NAT64)."""
    found = [addr.sixtofour] if addr.sixtofour else []
    found += list(addr.teredo or ())
    if addr in _NAT64:
        found.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    return found


def address_problem(addr: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool = False) -> str | None:
    """Why a connection to `addr` is not allowed, or None when it is globally routable."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped  # the same IPv4 host, reached over an IPv6 socket
    if addr.is_loopback:
        return None if allow_loopback else "loopback"
    if addr.version == 6 and (addr in _LOCAL_NAT64 or addr in _IPV4_COMPATIBLE):
        return "a local or deprecated IPv4 translation range"
    if not addr.is_global or addr.is_multicast:
        return "not globally routable"
    for inner in embedded_ipv4(addr) if addr.version == 6 else ():
        if not inner.is_global or inner.is_multicast:
            return f"wraps {inner}"
    return None


def _odd_ipv4_literal(host: str) -> bool:
    """True for IPv4 written other than as four plain decimals (which resolvers still accept)."""
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        pass
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


def _host_and_port(url: str) -> tuple[str, int]:
    try:
        parts = urlparse(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        (parts.hostname or "").encode("idna")  # as the socket module will, to look it up
    except ValueError:  # UnicodeError included
        raise FetchRefused(f"malformed URL: {url}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(f"not an http(s) URL: {url}")
    if _odd_ipv4_literal(parts.hostname):
        raise FetchRefused(f"{parts.hostname} is an IPv4 address in an ambiguous spelling")
    return parts.hostname, port


def _lookup(host: str, port: int, resolve: Resolver) -> list[str]:
    try:
        addrs = resolve(host, port)
    except socket.gaierror as exc:
        raise Unreachable(host, f"cannot resolve: {exc.strerror or exc}") from exc
    except OSError as exc:
        raise Unreachable(host, f"network unavailable: {exc}") from exc
    if not addrs:
        raise Unreachable(host, "no addresses")
    return addrs


def check_address(url: str, allow_loopback: bool = False, resolve: Resolver | None = None) -> list[str]:
    """The addresses to connect to for `url`, after checking them all: raises FetchRefused unless
    it is http(s) and every address its host resolves to is public; Unreachable when it does
    not resolve."""
    host, port = _host_and_port(url)
    addrs = _lookup(host, port, resolve or system_resolve)
    for text in addrs:
        try:
            problem = address_problem(ipaddress.ip_address(text), allow_loopback)
        except ValueError:
            problem = "not an IP address"
        if problem:
            raise FetchRefused(f"{host} resolves to a non-public address ({text}: {problem})")
    return addrs


def _html_to_text(html: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "svg", "form"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    lines = [line.strip() for line in soup.get_text("\n").splitlines()]
    return title, "\n".join(line for line in lines if line)


def _new_client():
    import httpx

    return httpx.Client(timeout=TIMEOUT_S, headers={"User-Agent": USER_AGENT}, follow_redirects=False, trust_env=False)


def _pinned_request(client, url: str, ip: str):
    """A GET for `url` sent to `ip`: the Host header and the TLS name (SNI and certificate
    check) are still the URL's own host."""
    import httpx

    target = httpx.URL(url)
    extensions = {"sni_hostname": target.raw_host.decode("ascii")} if target.scheme == "https" else {}
    return client.build_request(
        "GET", target.copy_with(host=ip), headers={"Host": target.netloc.decode("ascii")}, extensions=extensions
    )


@contextlib.contextmanager
def _pinned_get(client, url: str, addrs: list[str]):
    """The response for `url` from the first of the checked `addrs` that accepts a connection."""
    import httpx

    tried = []
    for ip in addrs:
        try:
            resp = client.send(_pinned_request(client, url, ip), stream=True, follow_redirects=False)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            tried.append(f"{ip}: {exc}")
            continue
        except ValueError as exc:  # httpx builds the next request from a Location it cannot encode (IDNA)
            raise FetchRefused(f"an unusable address in the response ({exc})") from exc
        try:
            yield resp
        finally:
            resp.close()
        return
    raise Unreachable(urlparse(url).hostname or url, "cannot connect: " + "; ".join(tried))


def _read_text(resp, deadline: float) -> tuple[str, str]:
    """(content type, body as text) of a successful response, within the size cap and the
    page's deadline (a time.monotonic() value)."""
    resp.raise_for_status()
    body = bytearray()
    for piece in resp.iter_bytes():
        body += piece
        if len(body) > MAX_BYTES:
            raise FetchRefused(f"larger than {MAX_BYTES} bytes")
        if time.monotonic() > deadline:
            raise FetchRefused(f"took longer than {PAGE_DEADLINE_S:g} s")
    return resp.headers.get("content-type", ""), _decode(bytes(body), resp.encoding)


def _decode(body: bytes, encoding: str | None) -> str:
    try:
        return body.decode(encoding or "utf-8", errors="replace")
    except LookupError:  # a charset that is unknown or not a text encoding (rot13, base64, zlib)
        return body.decode("utf-8", errors="replace")


def _page(url: str, final_url: str, ctype: str, text: str) -> dict:
    if "html" in ctype:
        title, text = _html_to_text(text)
    elif ctype.startswith("text/"):
        title = ""
    else:
        raise FetchRefused(f"not a text page ({ctype or 'no content type'})")
    return {
        "url": url,
        "final_url": final_url,
        "title": title or urlparse(url).netloc,
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "text": text,
    }


def fetch_page(
    url: str,
    *,
    allow_loopback: bool = False,
    client=None,
    resolve: Resolver | None = None,
    deadline_s: float = PAGE_DEADLINE_S,
) -> dict:
    """Download one page as text; follows redirects itself so every hop is checked and pinned."""
    deadline = time.monotonic() + deadline_s
    own = client is None
    client = client or _new_client()
    try:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            addrs = check_address(current, allow_loopback, resolve)
            with _pinned_get(client, current, addrs) as resp:
                if resp.is_redirect:
                    current = urljoin(current, resp.headers.get("location", ""))
                    continue
                ctype, text = _read_text(resp, deadline)
            return _page(url, current, ctype, text)
        raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")
    finally:
        if own:
            client.close()


def cache_path(cache_dir: Path, url: str) -> Path:
    return cache_dir / (hashlib.sha1(url.encode()).hexdigest()[:16] + ".json")


def _hostname(url: str) -> str | None:
    try:
        return urlparse(url).hostname
    except ValueError:
        return None


def _fetch_one(url: str, target: Path, report: FetchReport, **options) -> None:
    """Fetch `url` into the cache file `target`, noting the outcome; Unreachable propagates."""
    import httpx

    try:
        page = fetch_page(url, **options)
    except (FetchRefused, httpx.InvalidURL) as exc:
        report.refused[url] = str(exc)
        return
    except httpx.HTTPError as exc:
        report.failed[url] = f"{type(exc).__name__}: {exc}"
        return
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(page, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    report.fetched.append(url)


def fetch_links(
    urls: list[str],
    cache_dir: Path,
    *,
    allow_loopback: bool = False,
    refresh: bool = False,
    resolve: Resolver | None = None,
) -> FetchReport:
    """Fetch each URL into the cache. A host that cannot be reached fails its URLs and the run
    goes on; OFFLINE_AFTER different hosts unreachable in a row stop it, with the reason."""
    report = FetchReport()
    cache_dir.mkdir(parents=True, exist_ok=True)
    dead: dict[str, str] = {}  # host -> why it could not be reached
    streak: set[str] = set()  # different hosts unreachable since the network last answered
    for url in dict.fromkeys(urls):
        target = cache_path(cache_dir, url)
        if target.is_file() and not refresh:
            report.cached.append(url)
            continue
        if _hostname(url) in dead:
            report.failed[url] = dead[_hostname(url)]
            continue
        try:
            _fetch_one(url, target, report, allow_loopback=allow_loopback, resolve=resolve)
        except Unreachable as exc:
            report.failed[url] = dead[exc.host] = str(exc)
            streak.add(exc.host)
            if len(streak) >= OFFLINE_AFTER:
                report.offline = f"the network is not reachable ({len(streak)} hosts in a row; last: {exc})"
                return report
        else:
            streak.clear()
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
