"""The `mentor` command line: ingest, search, doctor, models (the learning commands, topics,
next, prereqs, plan and progress, are in `learn`; ask and chat in `chat`; eval in `evaluate`).

Each command builds what it needs from one Settings object (MENTOR_* variables, overridden by
flags) and turns MentorError into a one-line message and an exit code; no traceback reaches
a person for anything they can cause or fix.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import json
import os
import socket
import sys

from mentor.cli import chat as cli_chat
from mentor.cli import evaluate as cli_eval
from mentor.cli import learn as cli_learn
from mentor.cli import own as cli_own
from mentor.cli import study as cli_study
from mentor.cli.options import common_flags, file_arg, int_between, settings_from
from mentor.config import (
    DEFAULT_RERANK_MODEL,
    DEFAULT_ST_MODEL,
    Settings,
    apply_offline_env,
    apply_temp_env,
    ensure_folder,
    read_text_file,
)
from mentor.corpus import fetch
from mentor.deps import Deps
from mentor.errors import ConfigError, MentorError, UsageError
from mentor.models import pull
from mentor.search import builds, index
from mentor.search.embed import choose_backend
from mentor.search.freshness import freshness
from mentor.search.index import gather_passages, open_index
from mentor.search.retrieve import Retriever, make_reranker

MAX_QUERIES_BYTES = 2_000_000


# --- ingest ---------------------------------------------------------------------------------


def cmd_ingest(args) -> int:
    settings = settings_from(args)
    ensure_folder(settings.index_dir, "--index-dir" if args.index_dir else "MENTOR_INDEX_DIR")
    if args.fetch_links:
        _fetch_links(settings, args.allow_loopback)
    manifest = index.build(settings, force=args.force, progress=not args.no_progress and sys.stderr.isatty())
    emb = manifest["embedding"]
    if manifest.get("skipped"):
        print(f"index is up to date ({manifest['counts']['total']} passages, {emb['spec']}); use --force to rebuild")
        return 0
    c, t = manifest["counts"], manifest["timings_s"]
    print(f"embedding backend: {emb['spec']} ({emb['reason']})")
    print(
        f"indexed {c['passages']} roadmap passages, {c['resources']} linked resources and {c['pages']} "
        f"fetched page passages from {c['documents']} roadmaps in {t['total']:.1f}s"
    )
    print(f"index: {builds.active_dir(settings.index_dir)}")
    return 0


def _fetch_links(settings: Settings, allow_loopback: bool) -> None:
    _, resources, _ = gather_passages(settings)
    report = fetch.fetch_links(
        [r["url"] for r in resources], settings.corpus_dir / "cache", allow_loopback=allow_loopback
    )
    print(report.summary(), file=sys.stderr)
    for url, why in {**report.refused, **report.failed}.items():
        print(f"  {url}: {why}", file=sys.stderr)


# --- search ---------------------------------------------------------------------------------


def _open_retriever(settings: Settings):
    idx, state = open_index(settings)
    if state.state == "stale":
        print(f"warning: {state.message}", file=sys.stderr)
    return Retriever(idx, settings, make_reranker(settings))


def _print_hits(result, as_json: bool) -> None:
    for notice in result.notices:
        print(f"note: {notice}", file=sys.stderr)
    if as_json:
        print(json.dumps({"query": result.query, "hits": [h.to_dict() for h in result.hits]}, ensure_ascii=False))
        return
    if not result.hits:
        print("no passage in the roadmaps matches that; try other words")
    for hit in result.hits:
        d = hit.to_dict()
        print(
            f"[{d['rank']}] {d['title']} › {d['section']}  (lines {d['lines'][0]}-{d['lines'][1]}, "
            f"score {d['score']:.4f})"
        )
        body = d["text"].strip().splitlines()
        for line in body[:6]:
            print(f"    {line.strip()[:110]}")
        if len(body) > 6:
            print(f"    … ({len(body) - 6} more lines)")
        if d["url"]:
            print(f"    link: {d['url']}")
        print()


def cmd_search(args) -> int:
    settings = settings_from(args)
    if args.queries:
        return _search_file(settings, args)
    if args.interactive or not args.query:
        if not args.interactive and not sys.stdin.isatty():
            raise UsageError('the query is empty: give one, e.g. `mentor search "pandas"`')
        return _search_loop(settings, args)
    retriever = _open_retriever(settings)
    _print_hits(retriever.search(" ".join(args.query), k=args.k, mode=args.mode), args.json)
    return 0


def _search_file(settings: Settings, args) -> int:
    text = read_text_file(args.queries, MAX_QUERIES_BYTES, "queries file")
    queries = [q for q in text.splitlines() if q.strip()]
    retriever = _open_retriever(settings)
    for query in queries:
        result = retriever.search(query, k=args.k, mode=args.mode)
        print(
            json.dumps(
                {"query": result.query, "notices": result.notices, "hits": [h.to_dict() for h in result.hits]},
                ensure_ascii=False,
            )
        )
    return 0


def _search_loop(settings: Settings, args) -> int:
    retriever = _open_retriever(settings)
    mode = retriever.index.manifest["embedding"]["spec"]
    print(f"mentor search — embedding backend: {mode}. Type a question; empty line or Ctrl-D to quit.")
    while True:
        try:
            query = input("search> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not query.strip() or query.strip() in ("quit", "exit"):
            return 0
        try:
            _print_hits(retriever.search(query, k=args.k, mode=args.mode), as_json=False)
        except MentorError as exc:
            print(f"error: {exc}")


# --- doctor and models ----------------------------------------------------------------------


def cmd_doctor(args) -> int:
    settings = settings_from(args)
    print("configuration:")
    for name, value in settings.model_dump().items():
        print(f"  MENTOR_{name.upper():<10} = {value}")
    print("backends:")
    for module in ("sentence_transformers", "chromadb", "bm25s", "sklearn", "gradio", "ragas"):
        found = importlib.util.find_spec(module) is not None
        print(f"  {module:<22} {'installed' if found else 'missing'}")
    try:
        choice = choose_backend(settings)
        print(f"embedding: {choice.spec} — {choice.reason}")
        state = freshness(settings, choice)
        print(f"index: {state.state} — {state.message}")
    except MentorError as exc:
        print(f"embedding: error — {exc}")
        return exc.exit_code
    return 0 if state.state in ("fresh", "stale") else 1


def cmd_serve(args) -> int:
    settings = settings_from(args).with_overrides(port=args.port)
    _check_address(settings.host, settings.port)
    apply_temp_env(settings)  # before gradio is imported: the page's temporary files go in MENTOR_HOME
    deps = Deps(settings)
    deps.progress  # open (or create) the progress database now: a bad MENTOR_DB stops here, not at a request
    if args.api_only or args.workers > 1:  # several workers: the API only (the page keeps sessions in its process)
        from mentor.web.workers import serve_api  # imports fastapi and uvicorn

        serve_api(deps, args.workers)
    else:
        from mentor.web.server import serve  # imports gradio and fastapi (3 s): only the page needs them

        serve(deps)
    return 0


def _check_address(host: str, port: int) -> None:
    """Refuse, before loading anything, a MENTOR_HOST that does not resolve or an address that
    cannot be listened on (a port in use, an address not of this machine)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ConfigError(f"MENTOR_HOST: cannot resolve {host!r} ({exc.strerror})") from None
    except UnicodeError:  # a label over 63 characters, an empty label ("a..b")
        raise ConfigError(f"MENTOR_HOST: {host!r} is not a valid host name") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            setting = "MENTOR_PORT" if exc.errno in (errno.EADDRINUSE, errno.EACCES) else "MENTOR_HOST"
            raise ConfigError(f"{setting}: cannot listen on {host}:{port} ({exc.strerror})") from None


def cmd_models_pull(args) -> int:
    settings = settings_from(args)
    for ref in args.models or [DEFAULT_ST_MODEL, DEFAULT_RERANK_MODEL]:
        path = pull(ref, settings.models_dir)
        print(f"{ref}: {path}")
    return 0


# --- wiring ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = common_flags()

    parser = argparse.ArgumentParser(prog="mentor", description="A learning mentor for ML engineers.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="build the search index (idempotent)")
    p.add_argument("--force", action="store_true", help="rebuild even if the index is up to date")
    p.add_argument("--fetch-links", action="store_true", help="also download linked pages (when online)")
    p.add_argument("--allow-loopback", action="store_true", help=argparse.SUPPRESS)  # tests only
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", parents=[common], help="search the roadmaps and linked resources")
    p.add_argument("query", nargs="*", help="what to look for")
    p.add_argument("--k", type=int_between(1, 50), default=5, help="number of hits (1-50, default 5)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid")
    p.add_argument(
        "--queries", metavar="FILE", type=file_arg, help="one query per line; prints one JSON line per query"
    )
    p.add_argument("-i", "--interactive", action="store_true", help="a search prompt")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("doctor", parents=[common], help="show configuration, backends and index state")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("serve", parents=[common], help="the web app and HTTP API")
    p.add_argument("--port", type=int_between(1, 65535), help="port (MENTOR_PORT, default 7860)")
    p.add_argument(
        "--workers",
        type=int_between(1, 64),
        default=1,
        help="API worker processes (default 1); more than 1 serves the API only, not the page",
    )
    p.add_argument("--api-only", action="store_true", help="serve the HTTP API without the page")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("models", help="manage local model weights")
    msub = p.add_subparsers(dest="models_command", required=True)
    pull = msub.add_parser("pull", parents=[common], help="download the default models (needs network)")
    pull.add_argument("models", nargs="*", help="model ids (default: the default embedder and reranker)")
    pull.set_defaults(func=cmd_models_pull)

    cli_learn.add_parsers(sub, common)
    cli_own.add_parsers(sub, common)
    cli_chat.add_parsers(sub, common)
    cli_eval.add_parsers(sub, common)
    cli_study.add_parsers(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    apply_offline_env()
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "deps", False):
            code = args.func(Deps(settings_from(args)), args)
        else:
            code = args.func(args)
        sys.stdout.flush()  # a full disk or a closed terminal is said here, not at interpreter exit
        return code
    except MentorError as exc:
        print(f"mentor: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mentor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise  # our bug, or a file a command names (those are checked and said before)
        _drop_stdout()
        print(f"mentor: cannot write the output ({exc.strerror})", file=sys.stderr)
        return 1


def _drop_stdout() -> None:
    """Stop Python from retrying the unwritable output at exit (a second, ignored error)."""
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
