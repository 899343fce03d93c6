"""`mentor eval`: run an evaluation suite on versioned datasets, write the report, gate on the
thresholds, and keep a history of runs.

    mentor eval                          offline suite on the default datasets, gated
    mentor eval --suite judge            LLM-judged metrics (MENTOR_JUDGE), on demand
    mentor eval --dataset my.jsonl       any dataset in the schema of evals/README.md
    mentor eval --no-gate                report without failing
    mentor eval --history                the trend of past runs

Exit codes: 0 passed (or --no-gate), 1 a metric below its threshold (named, with its failing
cases), 2 bad input (a dataset or thresholds file), 3 no index.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from mentor.config import PROJECT_ROOT, Settings, ensure_folder, read_text_file
from mentor.errors import UsageError

EVALS = PROJECT_ROOT / "evals"
MAX_SMALL_FILE_BYTES = 1_000_000  # a thresholds file
MAX_HISTORY_BYTES = 100_000_000
DEFAULT_DATASETS = {
    "offline": ["qa.jsonl", "retrieval.jsonl", "graph_cases.jsonl", "adversarial.jsonl"],
    "judge": ["qa.jsonl"],
}


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    from mentor.cli.main import file_arg

    p = sub.add_parser("eval", parents=[common], help="measure answer and retrieval quality (ragas + checks)",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("--suite", choices=("offline", "judge"),
                   help="offline: no LLM needed, gates CI (default); judge: LLM-judged ragas metrics; "
                        "with --history, only that suite's runs")
    p.add_argument("--dataset", action="append", type=file_arg, metavar="PATH",
                   help="a JSONL dataset (repeatable; default: the suite's datasets in evals/)")
    p.add_argument("--report", type=file_arg, metavar="DIR", help="where report.json, report.md and metrics.png go "
                   "(default: build/eval/<suite>)")
    p.add_argument("--thresholds", type=file_arg, default=EVALS / "thresholds.toml", metavar="FILE")
    p.add_argument("--no-gate", action="store_true", help="report without failing on thresholds")
    p.add_argument("--history", action="store_true", help="print the trend of past runs and exit")
    p.add_argument("--llm", help="what answers: auto | none | openai-like:... | transformers:... (MENTOR_LLM)")
    p.add_argument("--judge", help="the judge model for --suite judge (MENTOR_JUDGE)")
    p.add_argument("--quiet", action="store_true", help="no progress counter")
    p.set_defaults(func=cmd_eval)


def history_path(settings: Settings) -> Path:
    return Path(settings.home) / "eval-history.jsonl"


def cmd_eval(args) -> int:
    from mentor.cli.main import _settings

    settings = _settings(args).with_overrides(judge=args.judge)
    if args.history:
        from mentor.evaluation.report import history_table

        print(history_table(read_runs(history_path(settings)), args.suite))
        return 0
    _check_paths(settings, args)  # before minutes of answering, not after
    report, failures = run_suite(settings, args.suite or "offline", args.dataset, args.report, args.thresholds,
                                 gate=not args.no_gate, quiet=args.quiet)
    if failures and not args.no_gate:
        print("mentor: quality gate failed:", file=sys.stderr)
        for line in failures:
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
    ensure_folder(Path(settings.home), "MENTOR_HOME")


def read_runs(path: Path) -> list[dict]:
    """The recorded runs, oldest first. Lines that are not a run as `append_history` writes it
    (a torn last line, a hand edit) are skipped, so one bad line hides nothing else."""
    if not path.exists():
        return []
    runs = []
    for line in read_text_file(path, MAX_HISTORY_BYTES, "evaluation history").splitlines():
        try:
            run = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            continue
        if _is_run(run):
            runs.append(run)
    return runs


def _is_run(run) -> bool:
    if not isinstance(run, dict) or not isinstance(run.get("suite"), str) or not isinstance(run.get("metrics"), dict):
        return False
    if not all(v is None or isinstance(v, (int, float)) and not isinstance(v, bool) for v in run["metrics"].values()):
        return False
    if run.get("passed") not in (True, False, None) or not isinstance(run.get("commit") or "", str):
        return False
    if not isinstance(run.get("counts", []), list):
        return False
    try:
        datetime.fromisoformat(run["created"])
    except (KeyError, TypeError, ValueError):
        return False
    return True


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _counter(quiet: bool, label: str):
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{label}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    return show


def run_suite(settings: Settings, suite: str, datasets: list[Path] | None, report_dir: Path | None,
              thresholds_file: Path, gate: bool = True, quiet: bool = False) -> tuple[dict, list[str]]:
    import ragas

    from mentor.evaluation import report as evalreport

    from mentor.evaluation import suite as evalsuite
    from mentor.corpus.documents import fingerprint
    started = time.perf_counter()
    thresholds = evalreport.load_thresholds(thresholds_file, suite)
    paths = datasets or [EVALS / name for name in DEFAULT_DATASETS[suite]]

    with evalsuite.temporary_folder() as folder:
        deps = evalsuite.eval_deps(settings, Path(folder))
        cases = []
        for path in paths:
            cases += evalsuite.load_dataset(path, deps.curriculum)
        ids = [c.id for c in cases]
        if len(set(ids)) != len(ids):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            raise UsageError(f"case ids repeat across datasets: {', '.join(dupes[:10])}")
        judge = None
        if suite == "judge":
            from mentor.evaluation.judge import judge_choice

            judge = judge_choice(settings)  # fail early, before answering anything
        deps.retriever  # opens the index: a missing one stops here with its message
        results = evalsuite.run_cases(deps, cases, _counter(quiet, "answering"))
        extras = {}
        counts = set(evalsuite.COUNT_METRICS)
        descriptions = dict(evalsuite.METRICS)
        extra_counts = {}
        if suite == "offline":
            evalsuite.ragas_offline(results)
            made, violations, problems = evalsuite.plan_sweep(deps, cases)
            extra_counts["plan_violations"] = float(violations)
            extras["plan sweep"] = f"{made} plans for the cases' learner states at 4, 10 and 25 h/week, {violations} violations" + (
                f" ({'; '.join(problems)})" if problems else "")
        else:
            from mentor.evaluation.judge import METRICS, judge_metrics, score_with_judge

            descriptions.update(METRICS)
            score_with_judge(results, judge_metrics(judge, deps.retriever.index.embedder, settings.llm_timeout),
                             _counter(quiet, "judging"))
            for r in results:  # the judge suite reports the judge's metrics and the crash count only
                r.metrics = {k: v for k, v in r.metrics.items() if k in METRICS or k == "errors"}
        manifest = deps.retriever.index.manifest
        answers = deps.llm.describe()

    aggs = evalreport.aggregate([(r.case.id, r.metrics) for r in results], thresholds, counts, extra_counts)
    failures = evalreport.gate_failures(aggs)
    report = {
        "suite": suite,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 2),
        "config": {"answers": answers, "embedding": manifest["embedding"]["spec"],
                   "index_build": manifest["build_id"],
                   "corpus_fingerprint": fingerprint(settings.corpus_dir), "commit": _commit(),
                   "ragas": ragas.__version__, "judge": judge.spec if judge else None,
                   "thresholds": str(thresholds_file), "retrieval_k": evalsuite.RETRIEVAL_K},
        "datasets": [{"name": Path(p).name, "path": str(p), "sha256": evalsuite.dataset_digest(p),
                      "cases": sum(1 for c in cases if c.dataset == Path(p).stem)} for p in paths],
        "count_metrics": sorted(counts),
        "metrics": {k: a.to_dict() for k, a in aggs.items()},
        "gate": {"applied": gate, "passed": (not failures) if gate else None, "failures": failures},
        "extras": extras,
        "cases": [r.to_dict() for r in results],
    }
    folder = report_dir or PROJECT_ROOT / "build" / "eval" / suite
    written = evalreport.write_report(folder, report, aggs, descriptions)
    evalreport.append_history(history_path(settings), report)

    print(f"mentor eval: {suite} suite, {len(cases)} cases, answered by {answers}, {report['seconds']:.1f} s")
    width = max(len(k) for k in aggs) if aggs else 10
    for a in aggs.values():
        result = {True: "pass", False: "FAIL", None: ""}[a.passed]
        th = f"({a.threshold.describe()})" if a.threshold else ""
        unmeasured = f"  {a.unmeasured} unmeasured" if a.unmeasured else ""
        print(f"  {a.name.ljust(width)}  {evalreport._fmt(a.value, a.name in counts):>10}  {th:<8} {result}"
              f"  n={a.n}{unmeasured}")
    for k, v in extras.items():
        print(f"  {k}: {v}")
    print("report: " + ", ".join(str(p) for p in written))
    return report, failures
