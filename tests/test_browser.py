"""The web app in a real headless Chromium (Debian's package, driven by Playwright), screen by
screen as a learner uses it: the welcome, a cited answer, a topic marked done that shows as done,
the picker searching as you type, a plan, the curriculum map (every name whole, read from the
SVG's DOM; a click on a topic sets its status) and the neighbourhood. It writes the screenshots
in build/screenshots (docs/screenshots with UPDATE_SCREENSHOTS=1) and the page's timings (first
paint, each tab's first render) in build/page-timings.json."""

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import running

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")


@pytest.fixture
def app_url(offline_deps):
    from mentor.web.server import create_app

    with running(create_app(offline_deps)) as url:
        yield url + "/"


ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_chat_progress_and_next_steps_in_a_browser(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(app_url)
        expect(page.locator("#mode-banner")).to_contain_text("without a language model", timeout=30_000)

        page.locator("#message textarea").fill("What should I learn next?")
        page.locator("#message textarea").press("Enter")
        chat = page.locator("#chat")
        expect(chat).to_contain_text("Sources", timeout=30_000)
        expect(chat).to_contain_text("[1]")
        expect(chat).to_contain_text("Python fundamentals")
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)

        page.get_by_role("tab", name="Progress").click()
        next_panel = page.locator("#next-steps")
        expect(next_panel).to_contain_text("Python fundamentals", timeout=15_000)
        before = next_panel.inner_text()
        page.locator("#topic-choice input").click()
        page.locator("#topic-choice input").fill("Python fundamentals")
        page.get_by_role("option", name="Python fundamentals", exact=True).click()
        page.locator("#save-status").click()
        expect(page.locator("#progress")).to_contain_text("✓ 1 done", timeout=15_000)
        expect(next_panel).not_to_have_text(before, timeout=15_000)
        assert "1. Python fundamentals" not in next_panel.inner_text()
        page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)

        browser.close()
    shots = Path(__file__).resolve().parent.parent / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for name in ("chat.png", "progress.png"):
        shutil.copy(tmp_path / name, shots / name)


def test_chat_proposes_and_a_click_applies_it(app_url, offline_deps, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(app_url)
        expect(page.locator("#mode-banner")).to_contain_text("without a language model", timeout=30_000)
        page.locator("#message textarea").fill("done with numpy, and I'm learning pandas now")
        page.locator("#message textarea").press("Enter")
        box = page.locator("#proposals-box")
        expect(box).to_be_visible(timeout=30_000)
        expect(page.locator("#proposals")).to_contain_text("NumPy arrays & vectorised numerics as done")
        assert offline_deps.progress.statuses("me") == {}  # shown, not written
        page.locator("#proposals label").filter(has_text="NumPy arrays").locator("input").check()
        page.locator("#apply-ticked").click()
        expect(page.locator("#proposals-note")).to_contain_text("Recorded: NumPy", timeout=15_000)
        page.screenshot(path=str(tmp_path / "proposals.png"), full_page=True)
        page.get_by_role("tab", name="Progress").click()
        expect(page.locator("#progress")).to_contain_text("✓ 1 done", timeout=15_000)
        page.get_by_role("tab", name="Chat").click()
        page.locator("#dismiss-ticked").click()
        expect(page.locator("#proposals-note")).to_contain_text("tick the changes", timeout=15_000)
        page.locator("#apply-all").click()
        expect(page.locator("#proposals-note")).to_contain_text("Recorded: Pandas", timeout=15_000)
        expect(box).to_be_hidden(timeout=15_000)
        browser.close()
    assert offline_deps.progress.statuses("me") == {"numpy": "done", "pandas": "learning"}
    shots = Path(__file__).resolve().parent.parent / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "proposals.png", shots / "proposals.png")


def test_with_auth_the_login_is_the_learner(offline_deps, tmp_path):
    import httpx
    from playwright.sync_api import expect, sync_playwright

    from mentor.deps import Deps
    from mentor.web.server import create_app

    deps = Deps(offline_deps.settings.with_overrides(auth="ada:pw-ada"))
    with running(create_app(deps)) as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(url)
            page.locator("input[type=text]").first.fill("ada")
            page.locator("input[type=password]").fill("pw-ada")
            page.locator("input[type=password]").press("Enter")
            name = page.locator("#learner-name input, #learner-name textarea").first
            expect(name).to_have_value("ada", timeout=30_000)
            expect(name).to_be_disabled()
            page.get_by_role("tab", name="Progress").click()
            page.locator("#topic-choice input").click()
            page.locator("#topic-choice input").fill("Version control")
            page.get_by_role("option", name=re.compile(r"^Version control with Git")).first.click()
            page.locator("#save-status").click()
            expect(page.locator("#progress")).to_contain_text("✓ 1 done", timeout=15_000)
            page.screenshot(path=str(tmp_path / "auth.png"), full_page=True)
            browser.close()
        assert deps.progress.statuses("ada") == {"git": "done"}
        assert deps.progress.statuses("me") == {}
        assert httpx.get(url + "/api/progress").status_code == 401


# --- every screen, as a learner sees it, with timings and screenshots --------------------------

# the README's screenshots are refreshed on request only (UPDATE_SCREENSHOTS=1 make test), so that
# a test run leaves the working tree as it was; otherwise they go to build/screenshots
DOCS_SHOTS = (
    Path(__file__).resolve().parent.parent
    / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "build")
    / "screenshots"
)
TIMINGS = Path(__file__).resolve().parent.parent / "build" / "page-timings.json"
DOT = shutil.which("dot")


def _open_tab(page, name: str, ready, timings: dict, key: str) -> None:
    """Click a tab and wait for `ready` (a locator) to show; its first render time in ms."""
    from playwright.sync_api import expect

    start = time.perf_counter()
    page.get_by_role("tab", name=name).click()
    expect(ready).to_be_visible(timeout=30_000)
    timings[key] = round((time.perf_counter() - start) * 1000)


def _shot(page, name: str, out: Path, **kwargs) -> None:
    page.screenshot(path=str(out / f"{name}.png"), **kwargs)


def _landing_and_chat(page, timings: dict, out: Path) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#mode-banner")).to_contain_text("I quote, I don't explain", timeout=30_000)
    expect(page.locator("#mode-detail")).to_contain_text("Technical details")
    paint = page.evaluate("() => performance.getEntriesByType('paint').map(e => [e.name, e.startTime])")
    timings.update({name: round(at) for name, at in paint})
    timings["load_event_ms"] = round(page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd"))
    _shot(page, "landing", out)
    start = time.perf_counter()
    page.locator("#examples button", has_text="What should I learn next?").click()
    expect(page.locator("#chat")).to_contain_text("Sources", timeout=30_000)
    timings["chat_first_answer_ms"] = round((time.perf_counter() - start) * 1000)
    page.locator("#chat").scroll_into_view_if_needed()
    _shot(page, "chat", out)


def _progress(page, timings: dict, out: Path) -> None:
    from playwright.sync_api import expect

    _open_tab(page, "Progress", page.locator("#progress .phase-card").first, timings, "tab_progress_ms")
    picker = page.locator("#topic-choice input")
    picker.click()
    picker.fill("Python fundamentals")
    page.get_by_role("option", name="Python fundamentals", exact=True).click()
    page.locator("#save-status").click()
    done = page.locator('#progress .chip[data-topic="python-basics"]')
    expect(done).to_have_class(re.compile(r"\bdone\b"), timeout=15_000)
    expect(done).to_contain_text("✓")  # the tick is there to see, not only in the markup
    assert done.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(200, 230, 201)"
    expect(page.locator("#progress-note")).to_contain_text("Python fundamentals is now done.")
    picker.click()  # the box now shows "Python fundamentals": typing searches afresh
    page.keyboard.type("numpy")
    option = page.get_by_role("option", name="NumPy arrays & vectorised numerics")
    expect(option).to_be_visible(timeout=15_000)  # a loaded CI machine filters slowly
    page.locator("#save-status").focus()
    expect(picker).to_have_value(re.compile("Python fundamentals"))  # nothing picked: the box shows the pick
    # A loaded CI machine re-rendered the box after the select and the text typed was added to the
    # old name ("Python fundamentalsnumpy", no option). Typing afresh holds with the selection lost.
    picker.click()
    picker.evaluate("b => b.setSelectionRange(b.value.length, b.value.length)")
    page.keyboard.type("pandas")
    expect(picker).to_have_value("pandas")
    expect(page.get_by_role("option", name="Pandas DataFrames & data manipulation")).to_be_visible(timeout=15_000)
    page.keyboard.press("ArrowLeft")  # a learner who moves the caret edits in place
    page.keyboard.type("x")
    expect(picker).to_have_value("pandaxs")
    page.keyboard.press("Escape")
    _shot(page, "progress", out)


def _plan(page, timings: dict, out: Path) -> None:
    from playwright.sync_api import expect

    _open_tab(page, "Plan", page.locator("#make-plan"), timings, "tab_plan_ms")
    page.locator("#make-plan").click()
    plan = page.locator("#plan")
    expect(plan).to_contain_text("Week 12", timeout=30_000)
    text = plan.inner_text()
    assert "Starts " in text and "Not within these weeks" in text and not re.search(r"\d\.\d+ h", text)
    _shot(page, "plan", out)


def _map(page, timings: dict, out: Path, deps) -> None:
    from playwright.sync_api import expect

    _open_tab(page, "Curriculum map", page.locator("#map svg g.topic").first, timings, "tab_map_ms")  # 83 topics
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('#map svg g.topic')].map(g => {
            const box = g.querySelector('path, polygon').getBBox();
            const texts = [...g.querySelectorAll('text')];
            const inside = texts.every(t => { const b = t.getBBox();
                return b.x >= box.x - 1 && b.x + b.width <= box.x + box.width + 1; });
            return [g.id.replace(/^topic-/, ''), texts.map(t => t.textContent).join(' '), inside]; })"""
    )
    titles = {tid: t.title for tid, t in deps.curriculum.topics.items()}
    assert {tid for tid, _, _ in drawn} == set(titles)
    for tid, words, inside in drawn:
        assert words == titles[tid] and inside, (tid, words)  # whole, and inside its box
    page.locator("#topic-pandas").click()
    expect(page.locator("#topic-card")).to_contain_text("Pandas DataFrames & data manipulation", timeout=15_000)
    expect(page.locator("#topic-card")).to_contain_text("Unlocks")
    page.locator("#map-learning").click()
    expect(page.locator("#map-note")).to_contain_text("is now learning", timeout=15_000)
    expect(page.locator("#topic-pandas")).to_have_class(re.compile(r"\blearning\b"), timeout=15_000)
    assert deps.progress.statuses("me")["pandas"] == "learning"
    page.locator("#map-view").evaluate("e => e.scrollIntoView()")
    _shot(page, "map", out)
    page.get_by_label("My neighbourhood").check()
    expect(page.locator("#map")).to_contain_text("Around what you are doing now: Pandas", timeout=15_000)
    assert page.locator("#map svg g.topic").count() < len(titles)
    _shot(page, "neighbourhood", out)


@pytest.mark.skipif(DOT is None, reason="Graphviz's dot is not installed (make test installs it)")
def test_every_screen_as_a_learner_sees_it(app_url, offline_deps, tmp_path):
    from playwright.sync_api import sync_playwright

    timings: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(app_url)
        _landing_and_chat(page, timings, tmp_path)
        _progress(page, timings, tmp_path)
        _plan(page, timings, tmp_path)
        _map(page, timings, tmp_path, offline_deps)
        browser.close()
    assert offline_deps.progress.statuses("me") == {"python-basics": "done", "pandas": "learning"}
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    for shot in tmp_path.glob("*.png"):
        _small_copy(shot, DOCS_SHOTS / shot.name)
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    print("page timings (ms):", timings)


def _small_copy(source: Path, target: Path, limit: int = 300_000) -> None:
    """The screenshot for the docs, as a palette PNG when that keeps it under `limit` bytes."""
    from PIL import Image

    image = Image.open(source).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    if target.stat().st_size > limit:
        image.resize((image.width * 3 // 4, image.height * 3 // 4)).quantize(colors=256).save(target, optimize=True)
