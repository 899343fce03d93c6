"""Scores in, verdicts out: aggregates per metric, the gate against `evals/thresholds.toml`,
and the report files of one run (report.json, report.md, metrics.png). The history of runs
is in `history`.

A metric's aggregate is the mean over the cases it applies to, except counts (plan
violations, errors), which are summed. A NaN score (ragas could not determine it, or the
judge failed) is "unmeasured": reported with its count, never passed or failed. A metric
with no measured case is unmeasured as a whole and does not gate.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from mentor.errors import UsageError

WORST = 5


def _finite_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass
class Threshold:
    min: float | None = None
    max: float | None = None

    def passes(self, value: float) -> bool:
        return (self.min is None or value >= self.min - 1e-9) and (self.max is None or value <= self.max + 1e-9)

    def describe(self) -> str:
        return f"≥ {self.min:g}" if self.min is not None else f"≤ {self.max:g}"


def load_thresholds(path: Path, suite: str) -> dict[str, Threshold]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no thresholds file at {path}")
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})")
    table = data.get(suite) or {}
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [{suite}] must be a table of metrics")
    out = {}
    for name, spec in table.items():
        if (
            not isinstance(spec, dict)
            or not set(spec) <= {"min", "max"}
            or len(spec) != 1
            or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in spec.values()
            )
        ):
            raise UsageError(f"{path}: [{suite}] {name} must be {{ min = number }} or {{ max = number }}")
        out[name] = Threshold(**{k: float(v) for k, v in spec.items()})
    return out


@dataclass
class Aggregate:
    name: str
    value: float | None  # None: unmeasured
    n: int  # cases measured
    unmeasured: int  # cases with a NaN score
    threshold: Threshold | None = None
    failing: list[tuple[str, float | None]] = field(default_factory=list)  # (case id, score)

    @property
    def passed(self) -> bool | None:
        if self.threshold is None or self.value is None:
            return None
        return self.threshold.passes(self.value)

    def to_dict(self) -> dict:
        return {
            "value": None if self.value is None else round(self.value, 4),
            "n": self.n,
            "unmeasured": self.unmeasured,
            "threshold": None if self.threshold is None else self.threshold.__dict__,
            "passed": self.passed,
            "failing_cases": [c for c, _ in self.failing],
        }


def aggregate(
    case_metrics: list[tuple[str, dict[str, float]]],
    thresholds: dict[str, Threshold],
    counts: set[str],
    extra_counts: dict[str, float] | None = None,
) -> dict[str, Aggregate]:
    """`case_metrics`: (case id, {metric: score}) per case."""
    names = sorted({m for _, ms in case_metrics for m in ms} | set(extra_counts or {}))
    out = {}
    for name in names:
        scored = [(cid, ms[name]) for cid, ms in case_metrics if name in ms]
        measured = [(cid, v) for cid, v in scored if not math.isnan(v)]
        unmeasured = len(scored) - len(measured)
        if name in counts:
            value = sum(v for _, v in measured) + (extra_counts or {}).get(name, 0.0)
            bad = sorted([(cid, v) for cid, v in measured if v > 0], key=lambda x: -x[1])
        else:
            value = sum(v for _, v in measured) / len(measured) if measured else None
            bad = sorted([(cid, v) for cid, v in measured if v < 1.0], key=lambda x: x[1])
        th = thresholds.get(name)
        agg = Aggregate(name, value, len(measured), unmeasured, th, bad)
        if th is not None and th.min is not None and name not in counts:
            agg.failing = [(cid, v) for cid, v in bad if v < th.min] or bad
        out[name] = agg
    for name, th in thresholds.items():
        out.setdefault(name, Aggregate(name, None, 0, 0, th))
    return out


def gate_failures(aggs: dict[str, Aggregate]) -> list[str]:
    lines = []
    for a in aggs.values():
        if a.passed is False:
            cases = ", ".join(c for c, _ in a.failing[:10]) + (" …" if len(a.failing) > 10 else "")
            lines.append(
                f"{a.name} = {a.value:.3f}, needs {a.threshold.describe()}"
                + (f" (failing cases: {cases})" if cases else "")
            )
    return lines


# --- report files -----------------------------------------------------------------------------


def write_report(folder: Path, report: dict, aggs: dict[str, Aggregate], descriptions: dict[str, str]) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.json", folder / "report.md", folder / "metrics.png"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(report, aggs, descriptions), encoding="utf-8")
    chart(
        paths[2],
        aggs,
        set(report["count_metrics"]),
        f"mentor eval --suite {report['suite']} · {report['created'][:16]}",
    )
    return paths


def format_value(value: float | None, count: bool = False) -> str:
    if value is None:
        return "unmeasured"
    return f"{value:g}" if count else f"{value:.3f}"


def markdown(report: dict, aggs: dict[str, Aggregate], descriptions: dict[str, str]) -> str:
    cfg = report["config"]
    verdict = {True: "passed", False: "FAILED", None: "not gated"}[report["gate"]["passed"]]
    out = [
        f"# Evaluation: {report['suite']} suite, {verdict}",
        "",
        f"{report['created']} · {len(report['cases'])} cases from "
        + ", ".join(f"`{d['name']}` ({d['cases']})" for d in report["datasets"])
        + f" · {report['seconds']:.1f} s",
        "",
        f"Answers: {cfg['answers']} · embedding: {cfg['embedding']} · index build {cfg['index_build']} · "
        f"corpus {cfg['corpus_fingerprint'][:12]} · commit {cfg.get('commit') or 'unknown'}"
        + (f" · judge: {cfg['judge']}" if cfg.get("judge") else ""),
        "",
        "| metric | value | threshold | result | cases | unmeasured |",
        "|---|---|---|---|---|---|",
    ]
    for a in aggs.values():
        result = {True: "pass", False: "**fail**", None: "—"}[a.passed]
        out.append(
            f"| {a.name} | {format_value(a.value, a.name in report['count_metrics'])} | "
            f"{a.threshold.describe() if a.threshold else '—'} | {result} | {a.n} | {a.unmeasured} |"
        )
    if report["gate"]["failures"]:
        out += ["", "## Below threshold", ""] + [f"- {f}" for f in report["gate"]["failures"]]
    extras = report.get("extras") or {}
    if extras:
        out += ["", "## Also measured", ""] + [f"- {k}: {v}" for k, v in extras.items()]
    by_id = {c["id"]: c for c in report["cases"]}
    worst = [(a, a.failing[:WORST]) for a in aggs.values() if a.failing]
    if worst:
        out += ["", "## Worst cases", ""]
        for a, cases in worst:
            out += [f"### {a.name}", "", f"{descriptions.get(a.name, '')}", ""]
            for cid, score in cases:
                c = by_id.get(cid, {})
                q = (c.get("question") or "").replace("\n", " ")
                q = q if len(q) <= 120 else q[:117] + "…"
                note = "; ".join(c.get("notes", []))[:200]
                out.append(
                    f"- `{cid}` ({format_value(score, a.name in report['count_metrics'])}): {q or '(empty)'}"
                    + (f" — {note}" if note else "")
                )
            out.append("")
    out += ["", "## Metrics", ""] + [f"- **{k}**: {v}" for k, v in descriptions.items() if k in aggs]
    return "\n".join(out).rstrip() + "\n"


def chart(path: Path, aggs: dict[str, Aggregate], counts: set[str], title: str) -> None:
    """Bars for the 0–1 metrics with their thresholds marked; counts written beside."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rates = [a for a in aggs.values() if a.name not in counts]
    counts = [a for a in aggs.values() if a not in rates]
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rates) + 1.6))
    names = [a.name for a in rates][::-1]
    values = [a.value if a.value is not None else 0.0 for a in rates][::-1]
    colours = [{True: "#2e7d32", False: "#c62828", None: "#9e9e9e"}[a.passed] for a in rates][::-1]
    ax.barh(names, values, color=colours)
    for y, a in enumerate(rates[::-1]):
        if a.threshold is not None:
            ax.plot([a.threshold.min] * 2, [y - 0.4, y + 0.4], color="black", lw=2)
        ax.text(min((a.value or 0) + 0.01, 0.93), y, format_value(a.value), va="center", fontsize=8)
    ax.set_xlim(0, 1.0)
    ax.set_xlabel("score (black tick: threshold; grey: not gated or unmeasured)")
    note = "   ".join(
        f"{a.name} = {format_value(a.value, True)}" + (f" ({a.threshold.describe()})" if a.threshold else "")
        for a in aggs.values()
        if a.name in counts
    )
    ax.set_title(title + ("\n" + note if note else ""), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# --- history ----------------------------------------------------------------------------------
