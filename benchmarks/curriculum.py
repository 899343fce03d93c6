"""Speed of the learning commands: `next`, `prereqs` and `plan`, in-process (median of many
calls, warm) and as a CLI call (median wall time of fresh processes, start-up included).

    .venv/bin/python benchmarks/curriculum.py [--runs N]

Target from the issue: a CLI call that needs no model starts and answers in under 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mentor.config import Settings, apply_offline_env  # noqa: E402
from mentor.deps import Deps  # noqa: E402
from mentor.learning import actions  # noqa: E402

apply_offline_env()


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def cli_seconds(args: list[str], env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "mentor"), *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        deps = Deps(Settings(home=Path(home)))
        deps.progress.record("me", "python-basics", "done")
        deps.progress.record("me", "numpy", "done")
        rows = [  # in-process: what the CLI computes for --json (the use case and its JSON)
            ("next", lambda: actions.next_steps_for(deps, "me").to_dict(), ["next", "--json"]),
            (
                "next --goal transformers",
                lambda: actions.next_steps_for(deps, "me", "transformers").to_dict(),
                ["next", "--goal", "transformers", "--json"],
            ),
            (
                "prereqs transformers",
                lambda: actions.prerequisites_for(deps, "transformers", "me").to_dict(),
                ["prereqs", "transformers", "--json", "--user", "me"],
            ),
            (
                "plan 8 h/week (all)",
                lambda: actions.study_plan_for(deps, "me", 8, None, None).to_dict(),
                ["plan", "--hours-per-week", "8", "--json"],
            ),
        ]
        env = {**os.environ, "MENTOR_HOME": home}
        print(f"{'command':<28}{'in-process ms':>15}{'CLI s (median)':>16}")
        for name, fn, cli_args in rows:
            print(
                f"{name:<28}{median_ms(fn, args.runs):>15.2f}{cli_seconds(cli_args, env, max(3, args.runs // 4)):>16.2f}"  # noqa: E501
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
