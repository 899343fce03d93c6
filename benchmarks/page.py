"""Speed of the curriculum map: building its data and laying it out with Graphviz `dot` (server
side), and Chromium drawing the SVG (parse, layout, first paint), at the real curriculum's 83
topics and at 500 synthetic topics (13 phases, one or two prerequisites each). Medians of
several runs.

    .venv/bin/python benchmarks/page.py [--runs N]

The page's first paint and each tab's first render are measured by the browser test
(`tests/test_browser.py::test_every_screen_as_a_learner_sees_it`, written to
build/page-timings.json).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mentor.config import apply_offline_env  # noqa: E402
from mentor.learning.curriculum import Curriculum, Edge, Topic, load_curriculum  # noqa: E402
from mentor.learning.topic_map import curriculum_map  # noqa: E402
from mentor.web.graph import map_svg  # noqa: E402
from mentor.web.look import CSS  # noqa: E402

apply_offline_env()
WORDS = "data model neural linear learning vector feature deep training network tuning metrics".split()


def synthetic(n: int, seed: int = 3) -> Curriculum:
    """`n` topics over 13 phases, names of 1 to 9 words, each needing one or two earlier topics."""
    rng = random.Random(seed)
    phases = [{"id": f"p{i}", "title": f"Phase {i}: " + " ".join(rng.sample(WORDS, 4))} for i in range(13)]
    topics, edges = [], []
    for i in range(n):
        title = f"T{i} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9)))
        topic = Topic(f"t{i}", title, phases[i * 13 // n]["id"], 5.0, "synthetic", order=i)
        for pre in rng.sample(range(i), min(i, rng.randint(1, 2))) if i else []:
            topic.prerequisites.append(f"t{pre}")
            edges.append(Edge(f"t{pre}", topic.id, "tag", None, None))
        topics.append(topic)
    return Curriculum(phases, topics, edges, [], [])


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def some_statuses(cur: Curriculum) -> dict[str, str]:
    ids = list(cur.topics)
    return {**{t: "done" for t in ids[: len(ids) // 5]}, ids[len(ids) // 5]: "learning"}


def browser_ms(svg: str, runs: int) -> float | None:
    """Chromium: set the page to the SVG (with the page's stylesheet) and wait for a frame after it."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    html = f"<html><head><style>{CSS}</style></head><body><div class='map-scroll'>{svg}</div></body></html>"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            page.set_content(html)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            times.append((time.perf_counter() - start) * 1000)
        browser.close()
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if shutil.which("dot") is None:
        sys.exit("Graphviz's dot is not installed: the map cannot be drawn")
    real = load_curriculum(ROOT / "corpus")
    for label, cur in [(f"real ({len(real.topics)} topics)", real), ("synthetic (500 topics)", synthetic(500))]:
        statuses = some_statuses(cur)
        data_ms = median_ms(lambda: curriculum_map(cur, "me", statuses), args.runs)
        svg = map_svg(curriculum_map(cur, "me", statuses))
        dot_ms = median_ms(lambda: map_svg(curriculum_map(cur, "me", statuses)), args.runs)
        shown = browser_ms(svg, args.runs)
        browser = f"{shown:.0f} ms" if shown is not None else "n/a (no chromium)"
        print(
            f"map {label}: data {data_ms:.1f} ms, data + dot layout to SVG {dot_ms:.0f} ms, "
            f"SVG {len(svg) // 1024} KiB, Chromium draws it in {browser} (medians of {args.runs})"
        )


if __name__ == "__main__":
    main()
