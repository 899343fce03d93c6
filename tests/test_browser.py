"""The web app in a real headless Chromium (Debian's package, driven by Playwright): ask what to
learn next, see a cited answer, mark a topic done, see the next-steps panel change."""

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")


@pytest.fixture
def app_url(offline_deps):
    import uvicorn

    from mentor.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(offline_deps), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


def test_chat_progress_and_next_steps_in_a_browser(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
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
