"""Running a suite: every case answered by the real pipeline (index, router or LLM agent,
tools, citation checks) on a progress database of the run's own, scored, aggregated, gated
against the thresholds, written as a report and appended to the history.

Each case is answered by a fresh conversation of its own learner, after its `user_state` is
recorded, so cases never see each other's progress and a learner's own progress is never
touched.

Not here: the command line (`mentor.cli.evaluate`), reading cases (`datasets`), the metrics
(`scoring`, `judge`), the report files (`report`).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from mentor.assistant.conversation import Conversation
from mentor.config import PROJECT_ROOT, Settings
from mentor.corpus.documents import fingerprint
from mentor.deps import Deps
from mentor.errors import UsageError
from mentor.evaluation import answering, history, judge, quizcheck, report, statements
from mentor.evaluation.datasets import DEFAULT_DATASETS, EVALS, Case, PassageFinder, dataset_digest, load_dataset
from mentor.evaluation.scoring import (
    COUNT_METRICS,
    METRICS,
    RETRIEVAL_K,
    CaseResult,
    plan_sweep,
    ragas_offline,
    score_answer,
    score_retrieval,
    split_suffix,
)

Progress = Callable[[int, int], None] | None
# checks of correctness, gated on every case whatever its split
STRUCTURAL = {"errors", "citation_validity", "plan_violations", "progress_safety", "input_handling"}


@dataclass
class SuiteRun:
    """What a finished run reports: the report (as written to report.json), the aggregates and
    the gate's failures."""

    report: dict
    aggregates: dict[str, report.Aggregate]
    failures: list[str]
    written: list[Path] = field(default_factory=list)


def run_suite(
    settings: Settings,
    suite: str,
    datasets: list[Path] | None,
    report_dir: Path | None,
    thresholds_file: Path,
    gate: bool = True,
    progress: Progress = None,
) -> SuiteRun:
    """Answer, score, gate, report. Raises UsageError for a bad dataset or thresholds file."""
    started = time.perf_counter()
    thresholds = report.load_thresholds(thresholds_file, suite)
    paths = [Path(p) for p in datasets or [EVALS / name for name in DEFAULT_DATASETS[suite]]]
    with tempfile.TemporaryDirectory(prefix="mentor-eval-") as folder:
        deps = eval_deps(settings, Path(folder))
        said_paths = [p for p in paths if statements.is_statement_dataset(p)] if suite == "offline" else []
        cases = _load_cases([p for p in paths if p not in said_paths], deps)
        said_cases = [c for p in said_paths for c in statements.load_statements(p, deps.curriculum)]
        judge_model = judge.judge_choice(settings) if suite == "judge" else None  # fail before answering
        deps.retriever  # opens the index: a missing one stops here with its message
        results = run_cases(deps, cases, progress)
        said = statements.run_statements(deps, said_cases)
        extras, counts = _score_suite(suite, deps, cases, results, judge_model, settings, progress)
        config = _config(settings, deps, suite, judge_model, thresholds_file)
        quiz = quizcheck.case_metrics(deps) if suite == "offline" else []
    aggs = report.aggregate([(r.case.id, r.metrics) for r in results], thresholds, set(COUNT_METRICS), counts)
    if said:
        aggs.update(statements.aggregates(said, thresholds))
    if quiz:  # quiz quality: the generated questions, checked independently
        aggs.update(report.aggregate(quiz, {k: v for k, v in thresholds.items() if k in quizcheck.METRICS}, set()))
    for suffix in ("", "_heldout"):
        lengths = [r.words for r in results if r.words is not None and split_suffix(r.case) == suffix]
        aggs.update(answering.length_aggregates(lengths, thresholds, suffix))
    failures = report.gate_failures(aggs)
    data = {
        "suite": suite,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 2),
        "config": config,
        "datasets": [_dataset_entry(p, [*cases, *said_cases]) for p in paths],
        "count_metrics": sorted(COUNT_METRICS | statements.COUNTS),
        "metrics": {k: a.to_dict() for k, a in aggs.items()},
        "gate": {"applied": gate, "passed": (not failures) if gate else None, "failures": failures},
        "extras": extras,
        "cases": [r.to_dict() for r in results],
        "statements": [r.to_dict() for r in said],
    }
    written = report.write_report(
        report_dir or PROJECT_ROOT / "build" / "eval" / suite, data, aggs, _descriptions(suite)
    )
    history.append_history(history.history_path(settings), data)
    return SuiteRun(data, aggs, failures, written)


def _load_cases(paths: list[Path], deps: Deps) -> list[Case]:
    cases = [case for path in paths for case in load_dataset(path, deps.curriculum)]
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise UsageError(f"case ids repeat across datasets: {', '.join(dupes[:10])}")
    return cases


def _score_suite(
    suite: str,
    deps: Deps,
    cases: list[Case],
    results: list[CaseResult],
    judge_model,
    settings: Settings,
    progress: Progress,
) -> tuple[dict, dict]:
    """The suite's whole-run metrics: (extra lines for the report, extra count metrics)."""
    if suite == "offline":
        ragas_offline(results)
        made, violations, problems = plan_sweep(deps, cases)
        sweep = f"{made} plans for the cases' learner states at 4, 10 and 25 h/week, {violations} violations"
        return (
            {"plan sweep": sweep + (f" ({'; '.join(problems)})" if problems else "")},
            {"plan_violations": float(violations)},
        )
    metrics = judge.judge_metrics(judge_model, deps.retriever.index.embedder, settings.llm_timeout)
    judge.score_with_judge(results, metrics, progress)
    for r in results:  # the judge suite reports the judge's metrics and the crash count only
        r.metrics = {k: v for k, v in r.metrics.items() if k in judge.METRICS or k == "errors"}
    return {}, {}


def _descriptions(suite: str) -> dict[str, str]:
    extra = judge.METRICS if suite == "judge" else quizcheck.METRICS
    return {**METRICS, **statements.METRICS, **answering.METRICS, **extra}


def _config(settings: Settings, deps: Deps, suite: str, judge_model, thresholds_file: Path) -> dict:
    manifest = deps.retriever.index.manifest
    return {
        "answers": deps.llm.describe(),
        "embedding": manifest["embedding"]["spec"],
        "index_build": manifest["build_id"],
        "corpus_fingerprint": fingerprint(settings.corpus_dir),
        "commit": _commit(),
        "ragas": _ragas_version(),
        "judge": judge_model.spec if judge_model else None,
        "thresholds": str(thresholds_file),
        "retrieval_k": RETRIEVAL_K,
        "suite": suite,
    }


def _ragas_version() -> str:
    import ragas  # imported here: 2 s, and only a run needs it

    return ragas.__version__


def _dataset_entry(path: Path, cases: list) -> dict:
    return {
        "name": path.name,
        "path": str(path),
        "sha256": dataset_digest(path),
        "cases": sum(1 for c in cases if c.source.startswith(path.name + ":")),
    }


def _commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


# --- answering the cases --------------------------------------------------------------------


def eval_deps(settings: Settings, folder: Path) -> Deps:
    """Deps for an evaluation run: the configured index and LLM, progress in `folder`."""
    return Deps(settings.with_overrides(db=f"sqlite:///{Path(folder) / 'eval-progress.db'}"))


def run_cases(deps: Deps, cases: list[Case], progress: Progress = None) -> list[CaseResult]:
    """Answer every case with the real pipeline. `deps` must use a progress database of the
    run's own (see `eval_deps`): cases record their learner's state in it."""
    finder = PassageFinder(deps.retriever.index.chunks)
    results = []
    for i, case in enumerate(cases):
        results.append(run_case(deps, case, f"eval-{i}", finder))
        if progress:
            progress(i + 1, len(cases))
    return results


def run_case(deps: Deps, case: Case, learner: str, finder: PassageFinder) -> CaseResult:
    result = CaseResult(case)
    for status, topics in case.user_state.items():
        deps.progress.record_many(learner, {t: status for t in topics}, origin="imported", note="eval user_state")
    events_before = len(deps.progress.history(learner))
    # the QA set (key facts) measures answers: its reference phrases are checked to exist, but its
    # retrieval is not mixed into the search metrics of the retrieval and QA cases
    passages = _reference_passages(case, finder)
    result.reference_passages = [] if case.extra.get("key_facts") else passages
    _answer(deps, case, learner, result)
    if case.expect.get("no_progress_write"):
        written = len(deps.progress.history(learner)) - events_before
        result.metrics["progress_safety"] = float(written == 0)
        if written:
            result.notes.append(f"{written} progress event(s) written")
    if case.expect.get("rejected"):
        result.metrics["input_handling"] = float(result.rejected is not None and result.answer is None)
    elif result.rejected is not None:
        result.notes.append(f"refused: {result.rejected}")
    result.metrics["errors"] = float(result.error is not None)
    if case.reference_contexts and not case.extra.get("key_facts"):
        score_retrieval(deps, case, result)
    suffix = split_suffix(case)
    if suffix:
        result.metrics = {k if k in STRUCTURAL else f"{k}{suffix}": v for k, v in result.metrics.items()}
    return result


def _reference_passages(case: Case, finder: PassageFinder) -> list[str]:
    passages = []
    for phrase in case.reference_contexts:
        text = finder.passage(phrase)
        if text is None:
            raise UsageError(f"{case.source}: reference context not found in any passage: {phrase!r}")
        if text not in passages:
            passages.append(text)
    return passages


def _answer(deps: Deps, case: Case, learner: str, result: CaseResult) -> None:
    """One turn. Refused input (a UsageError: empty, too long) is what `expect.rejected`
    measures; any other exception is a finding, scored as an error, not a stopped run."""
    started = time.perf_counter()
    try:
        answer = Conversation(deps, learner).ask(case.question)
    except UsageError as exc:
        result.rejected = str(exc)
    except Exception as exc:  # noqa: BLE001 - the pipeline's own crash is what `errors` counts
        result.error = f"{type(exc).__name__}: {exc}"
    else:
        result.answer = answer.answer
        result.tool_calls = answer.tool_calls
        result.citations = [c.to_dict() for c in answer.citations]
        result.contexts = [c.text for c in answer.sources]
        score_answer(deps, case, answer, result)
    result.seconds = time.perf_counter() - started
