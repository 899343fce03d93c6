"""The web app in a real headless Chromium (Debian's package, driven by Playwright): ask what to
learn next, see a cited answer, mark a topic done, see the next-steps panel change."""

import re
import shutil
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
        expect(page.locator("#mode-banner")).to_contain_text("offline mode", timeout=30_000)

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
        expect(page.locator("#progress")).to_contain_text(re.compile(r"\(1/\d+ done\)"), timeout=15_000)
        expect(next_panel).not_to_have_text(before, timeout=15_000)
        assert "1. Python fundamentals" not in next_panel.inner_text()
        page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)

        page.get_by_role("tab", name="Curriculum graph").click()
        page.get_by_role("button", name="Draw my curriculum").click()
        picture = page.locator("#graph img")
        expect(picture).to_be_visible(timeout=30_000)
        assert picture.evaluate("img => img.complete && img.naturalWidth") > 500
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
        expect(page.locator("#mode-banner")).to_contain_text("offline mode", timeout=30_000)
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
        expect(page.locator("#progress")).to_contain_text(re.compile(r"\(1/\d+ done\)"), timeout=15_000)
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
            expect(page.locator("#progress")).to_contain_text(re.compile(r"\(1/\d+ done\)"), timeout=15_000)
            page.screenshot(path=str(tmp_path / "auth.png"), full_page=True)
            browser.close()
        assert deps.progress.statuses("ada") == {"git": "done"}
        assert deps.progress.statuses("me") == {}
        assert httpx.get(url + "/api/progress").status_code == 401
