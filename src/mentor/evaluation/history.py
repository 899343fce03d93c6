"""The history of evaluation runs: one JSON line per run in `$MENTOR_HOME/eval-history.jsonl`,
appended after each run, read back tolerantly (a torn or hand-edited line hides nothing else),
and printed as a trend table by `mentor eval --history`.

Not here: the report of one run (`report`).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from mentor.config import Settings, read_text_file

MAX_HISTORY_BYTES = 100_000_000


def history_path(settings: Settings) -> Path:
    return Path(settings.home) / "eval-history.jsonl"


def append_history(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "created": report["created"],
        "suite": report["suite"],
        "passed": report["gate"]["passed"],
        "commit": report["config"].get("commit"),
        "corpus": report["config"]["corpus_fingerprint"][:12],
        "answers": report["config"]["answers"],
        "cases": len(report["cases"]),
        "metrics": {k: v["value"] for k, v in report["metrics"].items()},
        "counts": report["count_metrics"],
    }
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


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


def history_table(runs: list[dict], suite: str | None, last: int = 15) -> str:
    runs = [r for r in runs if suite is None or r.get("suite") == suite][-last:]
    if not runs:
        return "no evaluation runs recorded yet: run `mentor eval`"
    names = []
    for r in runs:
        names += [m for m in r["metrics"] if m not in names]
    lines = []
    for suite_name in dict.fromkeys(r["suite"] for r in runs):
        rows = [r for r in runs if r["suite"] == suite_name]
        cols = [m for m in names if any(m in r["metrics"] for r in rows)]
        lines.append(f"suite {suite_name}: {len(rows)} run(s), oldest first; ↑/↓ against the run before")
        lines.append(
            "  ".join(["when            ", "commit ", "gate  ", *[c[:18].rjust(max(8, len(c[:18]))) for c in cols]])
        )
        prev = None
        for r in rows:
            cells = []
            for c in cols:
                v = r["metrics"].get(c)
                arrow = ""
                if v is not None and prev is not None and prev["metrics"].get(c) is not None:
                    delta = v - prev["metrics"][c]
                    arrow = "↑" if delta > 1e-9 else "↓" if delta < -1e-9 else " "
                text = "—" if v is None else f"{v:g}" if c in r.get("counts", ()) else f"{v:.3f}"
                cells.append((text + arrow).rjust(max(8, len(c[:18]))))
            gate = {True: "pass", False: "FAIL", None: "—"}[r.get("passed")]
            when = datetime.fromisoformat(r["created"]).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
            lines.append("  ".join([when, (r.get("commit") or "-")[:7].ljust(7), gate.ljust(6), *cells]))
            prev = r
        lines.append("")
    return "\n".join(lines).rstrip()
