"""The "Quiz & review" tab in a real headless Chromium: take a quiz on the page, apply the status
the passed check proposes, and see the review list change."""

import pytest
from test_browser import ARGS, CHROMIUM, app_url  # noqa: F401 - the fixture is used by name

from mentor.learning.quiz.session import bank

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")


def test_take_a_quiz_apply_the_proposal_and_see_the_review_list_change(app_url, offline_deps, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    mine = [q for q in bank(offline_deps) if q.topic == "sql"]
    right = {q.question: q.options[q.answer] for q in mine}
    assert len(right) == len(mine) >= 2  # each question told apart by its text
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(app_url)
        page.get_by_role("tab", name="Quiz & review").click()
        reviews = page.locator("#review-list")
        expect(reviews).to_contain_text("No reviews yet", timeout=30_000)
        page.locator("#quiz-topic input").fill("sql")
        page.locator("#quiz-start").click()
        question = page.locator("#quiz-question")
        expect(question).to_contain_text("Question 1 of", timeout=30_000)
        total = int(question.inner_text().split(" of ")[1].split()[0])
        for n in range(1, total + 1):
            expect(question).to_contain_text(f"Question {n} of", timeout=15_000)
            text = question.inner_text().split("—", 1)[1].strip()
            page.locator("#quiz-options").get_by_label(right[text], exact=True).check()
            page.locator("#quiz-answer").click()
            expect(page.locator("#quiz-feedback")).to_contain_text("Right", timeout=15_000)
        apply = page.locator("#quiz-apply")
        expect(apply).to_contain_text("SQL", timeout=15_000)
        page.screenshot(path=str(tmp_path / "quiz.png"), full_page=True)
        apply.click()
        expect(page.locator("#quiz-note")).to_contain_text("Recorded", timeout=15_000)
        expect(reviews).to_contain_text("SQL", timeout=15_000)
        expect(reviews).to_contain_text("depend on it")
        browser.close()
    assert offline_deps.progress.statuses("me") == {"sql": "done"}
