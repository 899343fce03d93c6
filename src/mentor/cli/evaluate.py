"""`mentor eval`: run an evaluation suite on versioned datasets, print the metrics against the
thresholds, and exit 1 when the gate fails.

    mentor eval                          offline suite on the default datasets, gated
    mentor eval --suite judge            LLM-judged metrics (MENTOR_JUDGE), on demand
    mentor eval --dataset my.jsonl       any dataset in the schema of evals/README.md
    mentor eval --no-gate                report without failing
    mentor eval --history                the trend of past runs

Exit codes: 0 passed (or --no-gate), 1 a metric below its threshold (named, with its failing
cases), 2 bad input (a dataset or thresholds file), 3 no index. The run itself is
`mentor.evaluation.run`; this module only translates flags in and results out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentor.cli.options import file_arg, settings_from
from mentor.config import Settings, ensure_folder, read_text_file
from mentor.errors import UsageError
from mentor.evaluation import history
from mentor.evaluation.datasets import EVALS
from mentor.evaluation.report import format_value

MAX_SMALL_FILE_BYTES = 1_000_000  # a thresholds file


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "eval",
        parents=[common],
        help="measure answer and retrieval quality (ragas + checks)",
        description=__doc__.split("\n\n")[0],
    )
    p.add_argument(
        "--suite",
        choices=("offline", "judge"),
        help="offline: no LLM needed, gates CI (default); judge: LLM-judged ragas metrics; "
        "with --history, only that suite's runs",
    )
    p.add_argument(
        "--dataset",
        action="append",
        type=file_arg,
        metavar="PATH",
        help="a JSONL dataset (repeatable; default: the suite's datasets in evals/)",
    )
    p.add_argument(
        "--report",
        type=file_arg,
        metavar="DIR",
        help="where report.json, report.md and metrics.png go (default: build/eval/<suite>)",
    )
    p.add_argument("--thresholds", type=file_arg, default=EVALS / "thresholds.toml", metavar="FILE")
    p.add_argument("--no-gate", action="store_true", help="report without failing on thresholds")
    p.add_argument("--history", action="store_true", help="print the trend of past runs and exit")
    p.add_argument("--llm", help="what answers: auto | none | openai-like:... | transformers:... (MENTOR_LLM)")
    p.add_argument("--judge", help="the judge model for --suite judge (MENTOR_JUDGE)")
    p.add_argument("--quiet", action="store_true", help="no progress counter")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args) -> int:
    settings = settings_from(args).with_overrides(judge=args.judge)
    if args.history:
        print(history.history_table(history.read_runs(history.history_path(settings)), args.suite))
        return 0
    _check_paths(settings, args)  # before minutes of answering, not after
    suite = args.suite or "offline"
    # imported here: a run brings the whole assistant and ragas' harness, which no other command needs
    from mentor.evaluation.run import run_suite

    run = run_suite(
        settings,
        suite,
        args.dataset,
        args.report,
        args.thresholds,
        gate=not args.no_gate,
        progress=_counter(args.quiet, "answering"),
    )
    _print_summary(run, suite)
    if run.failures and not args.no_gate:
        print("mentor: quality gate failed:", file=sys.stderr)
        for line in run.failures:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


def _check_paths(settings: Settings, args) -> None:
    """Refuse, naming it, a thresholds file that is not a small UTF-8 file, a --report that is a
    file, or a MENTOR_HOME (where the history goes) that cannot be created."""
    if Path(args.thresholds).exists():  # a missing one is named by load_thresholds
        read_text_file(Path(args.thresholds), MAX_SMALL_FILE_BYTES, "thresholds file")
    if args.report is not None and args.report.exists() and not args.report.is_dir():
        raise UsageError(f"--report {args.report} is a file: give a folder for the report")
    if args.report is not None:
        ensure_folder(args.report, "--report")  # under a file, in /proc: refused now, not after the run
    ensure_folder(Path(settings.home), "MENTOR_HOME")


def _counter(quiet: bool, label: str):
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{label}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    return show


def _print_summary(run, suite: str) -> None:
    data, counts = run.report, set(run.report["count_metrics"])
    cases = len(data["cases"])
    print(
        f"mentor eval: {suite} suite, {cases} cases, answered by {data['config']['answers']}, {data['seconds']:.1f} s"
    )
    width = max((len(k) for k in run.aggregates), default=10)
    for a in run.aggregates.values():
        verdict = {True: "pass", False: "FAIL", None: ""}[a.passed]
        threshold = f"({a.threshold.describe()})" if a.threshold else ""
        unmeasured = f"  {a.unmeasured} unmeasured" if a.unmeasured else ""
        print(
            f"  {a.name.ljust(width)}  {format_value(a.value, a.name in counts):>10}  {threshold:<8} {verdict}"
            f"  n={a.n}{unmeasured}"
        )
    for key, value in data["extras"].items():
        print(f"  {key}: {value}")
    print("report: " + ", ".join(str(p) for p in run.written))
