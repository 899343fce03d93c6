"""Next steps, prerequisite chains and plans, on the real curriculum graph."""

import random

import pytest

from mentor.errors import UsageError
from mentor.learning.plan import Plan, check_plan, citations, frontier, make_plan, next_steps, prerequisite_chain


def random_states(cur, n=25, seed=7):
    """Learner states that respect the graph: done sets closed under prerequisites."""
    rng = random.Random(seed)
    order = cur.topological(set(cur.topics))
    for _ in range(n):
        done = set()
        for tid in order:
            if all(p in done for p in cur.topics[tid].prerequisites) and rng.random() < 0.45:
                done.add(tid)
        statuses = {t: "done" for t in done}
        for t in rng.sample(sorted(set(cur.topics) - done), 3):
            statuses[t] = rng.choice(["learning", "skipped"])
        yield statuses


def test_a_new_learner_starts_with_python(cur):
    steps = next_steps(cur, {})
    assert steps[0].topics[0].id == "python-basics"
    assert 1 <= len(steps) <= 5
    assert all(not cur.topics[s.topics[0].id].prerequisites for s in steps)
    assert "numpy" in [t.id for t in steps[0].topics]  # learned with Python (Step 0.2 [P with Step 0.1])


def test_suggestions_are_always_on_the_frontier(cur):
    for statuses in random_states(cur):
        ready = set(frontier(cur, statuses))
        for s in next_steps(cur, statuses):
            for t in s.topics:
                assert t.id in ready
                assert all(statuses.get(p) in ("done", "skipped") for p in t.prerequisites)
            assert s.why


def test_topics_in_progress_come_first(cur):
    statuses = {"python-basics": "done", "sql": "learning"}
    assert next_steps(cur, statuses)[0].topics[0].id == "sql"
    assert "already learning" in next_steps(cur, statuses)[0].why


def test_goal_narrows_to_what_the_roadmaps_put_before_it(cur):
    goal = cur.topics["transformers"]
    statuses = {"python-basics": "done"}
    allowed = cur.ancestors("transformers", soft=True) | {"transformers"}  # hard and soft edges
    assert cur.ancestors("transformers") < allowed
    steps = next_steps(cur, statuses, goal)
    assert steps and all(t.id in allowed for s in steps for t in s.topics)
    assert all("on the way to" in s.why for s in steps)
    assert next_steps(cur, {**{a: "done" for a in allowed}}, goal) == []


def test_prerequisite_chain_and_missing_links(cur):
    chain = prerequisite_chain(cur, cur.topics["transformers"], {"python-basics": "done"})
    ids = [p["id"] for p in chain["prerequisites"]]
    assert set(ids) == cur.ancestors("transformers")
    for i, tid in enumerate(ids):  # ordered: nothing before its own prerequisites
        assert set(cur.topics[tid].prerequisites) <= set(ids[:i])
    direct = [p for p in chain["prerequisites"] if p["depth"] == 1]
    assert {p["id"] for p in direct} == set(cur.topics["transformers"].prerequisites)
    assert all(p["sources"] for p in chain["prerequisites"])
    assert "python-basics" not in chain["missing"] and "neural-networks" in chain["missing"]
    assert prerequisite_chain(cur, cur.topics["python-basics"])["prerequisites"] == []


def test_plans_never_break_precedence(cur):
    for statuses in random_states(cur, n=15):
        for hours in (3, 8, 20):
            plan = make_plan(cur, statuses, hours)
            assert check_plan(cur, plan, statuses) == []
            for week in plan.weeks:
                assert sum(h for _, h in week) <= hours + 1e-6
            planned = {t for w in plan.weeks for t, _ in w}
            assert planned == {t for t in cur.topics if statuses.get(t) not in ("done", "skipped")}


def test_plan_hours_add_up_and_goal_plans_stop_at_the_goal(cur):
    plan = make_plan(cur, {}, 10)
    assert plan.total_hours == pytest.approx(sum(t.hours for t in cur.topics.values()))
    state = {t: "done" for t in ("python-basics", "numpy", "pandas", "basic-math")}
    goal_plan = make_plan(cur, state, 8, goal=cur.topics["linear-regression"])
    planned = {t for w in goal_plan.weeks for t, _ in w}
    assert "linear-regression" in planned and "neural-networks" not in planned
    assert "scikit-learn" in planned  # learned alongside, as the roadmap says
    assert check_plan(cur, goal_plan, state) == []


def test_companions_share_weeks(cur):
    plan = make_plan(cur, {}, 10)
    week_of = {}
    for n, week in enumerate(plan.weeks):
        for t, _ in week:
            week_of.setdefault(t, n)
    assert week_of["numpy"] == week_of["python-basics"] == 0


def test_weeks_limit_reports_what_does_not_fit(cur):
    plan = make_plan(cur, {}, 5, weeks=4)
    assert len(plan.weeks) == 4 and plan.unscheduled
    assert check_plan(cur, plan, {}) == []


def test_checker_catches_violations(cur):
    bad = Plan(weeks=[[("random-forests", 2.0)], [("decision-trees", 2.0)]], unscheduled=[], hours_per_week=5)
    problems = check_plan(cur, bad, {"python-basics": "done"})
    assert any("random-forests" in p and "decision-trees" in p for p in problems)
    same_week = Plan(weeks=[[("random-forests", 1.0), ("decision-trees", 1.0)]], unscheduled=[], hours_per_week=5)
    assert check_plan(cur, same_week, {"python-basics": "done"})
    # a soft edge is an ordering hint, never a violation
    soft = Plan(weeks=[[("linear-regression", 3.0)], [("ml-fundamentals", 2.0)]], unscheduled=[], hours_per_week=5)
    assert "ml-fundamentals" in cur.topics["linear-regression"].after
    assert check_plan(cur, soft, {"python-basics": "done"}) == []


def test_bad_plan_inputs(cur):
    with pytest.raises(UsageError):
        make_plan(cur, {}, 0)
    with pytest.raises(UsageError):
        make_plan(cur, {}, 8, weeks=0)


def test_citations_point_at_real_passages(deps, cur):
    for t in list(cur.topics.values())[:30]:
        cites = citations(t, deps.passages)
        assert cites, t.id
        for c in cites:
            chunk = next(p for p in deps.passages if p.chunk_id == c["chunk_id"])
            assert c["quote"] in chunk.text


# --- the dependency-correct roadmap as the backbone (issue 13) ------------------------------

PHASE_0 = [
    "python-basics",
    "virtual-environments",
    "numpy",
    "pandas",
    "data-visualisation",
    "git",
    "linux",
    "jupyter",
    "sql",
]


def test_after_the_foundations_the_ml_loop_comes_next_with_maths_alongside(cur):
    """learning-algorithm: once Python and the data libraries are in place, start the theory <->
    scikit-learn loop; "Math is parallel support, NOT prerequisite completion"."""
    maths = {t.id for t in cur.topics.values() if t.phase == "maths"}
    for done in (PHASE_0, [t.id for t in cur.topics.values() if t.phase == "foundations"]):
        steps = next_steps(cur, {t: "done" for t in done})
        leads = [s.topics[0].id for s in steps]
        assert leads[0] == "ml-fundamentals" and "scikit-learn" in [t.id for t in steps[0].topics]
        assert "linear-regression" in leads[:3]
        assert maths & {t.id for t in steps[0].topics}  # maths as companions of ML theory ...
        assert not maths & set(leads)  # ... never a step of its own, and never a gate
        assert "Step 1.1" in steps[0].why
        assert not maths & set(cur.ancestors("ml-fundamentals") | cur.ancestors("linear-regression"))


def test_soft_predecessors_come_first_but_never_block(cur):
    statuses = {t: "done" for t in PHASE_0}
    ready = set(frontier(cur, statuses))
    assert {"ml-fundamentals", "linear-regression", "logistic-regression"} <= ready  # soft edges block nothing
    leads = [s.topics[0].id for s in next_steps(cur, statuses, limit=8)]
    assert leads.index("ml-fundamentals") < leads.index("linear-regression") < leads.index("overfitting-underfitting")
    assert leads.index("data-splitting") < leads.index("overfitting-underfitting")
    plan = make_plan(cur, {}, 8)
    first = {}
    for n, week in enumerate(plan.weeks):
        for t, _ in week:
            first.setdefault(t, n)
    for before, after in [
        ("ml-fundamentals", "linear-regression"),
        ("numpy", "pandas"),
        ("linear-regression", "logistic-regression"),
    ]:
        assert before in cur.topics[after].after and first[before] <= first[after], (before, after)


def test_one_slot_is_kept_for_the_side_lane(cur):
    steps = next_steps(cur, {t: "done" for t in ("python-basics", "numpy", "pandas", "data-visualisation")})
    assert [s.lane for s in steps] == ["main"] * 4 + ["side"]
    assert cur.step(steps[0].topics[0].id).track == "path"


def test_a_twelve_week_plan_at_eight_hours_reaches_machine_learning(cur):
    plan = make_plan(cur, {}, 8, weeks=12)
    left = {t: cur.topics[t].hours for w in plan.weeks for t, _ in w}
    for week in plan.weeks:
        for t, h in week:
            left[t] -= h
    finished = {t for t, h in left.items() if h < 1e-6}
    assert {"python-basics", "numpy", "pandas", "ml-fundamentals", "scikit-learn"} <= finished
    assert "linear-regression" in left  # started at least
    assert check_plan(cur, plan, {}) == []


def test_week_hours_are_whole_and_add_up():
    from mentor.learning.plan_weeks import whole_hours

    assert whole_hours([2.6, 2.6, 2.8]) == [3, 2, 3]  # largest remainders round up
    assert whole_hours([6.0, 1.5, 0.5]) == [6, 2, 0]
    assert whole_hours([]) == []
    for hours in ([10 / 3, 10 / 3, 4 / 3], [2.4, 2.4, 3.2], [0.3, 0.3, 0.4], [7.99, 0.01]):
        whole = whole_hours(hours)
        assert sum(whole) == round(sum(hours)) and all(abs(w - h) < 1 for w, h in zip(whole, hours))


def test_each_week_says_why_it_holds_what_it_holds(cur):
    from mentor.learning.plan_weeks import week_reasons

    plan = make_plan(cur, {}, 8, 12)
    reasons = week_reasons(
        cur, plan.weeks, {}, {"learning-algorithm": "ML Engineer Learning Algorithm (Dependency-Correct)"}
    )
    assert len(reasons) == len(plan.weeks) and all(reasons)
    assert (
        reasons[0].startswith("Starts Python fundamentals")
        and "step 0.1 of ML Engineer Learning Algorithm" in reasons[0]
    )
    assert "open" in reasons[0]  # what it unlocks
    started = [r for r in reasons if r.startswith("Starts ")]
    assert len(started) >= 3 and any(r.startswith("Keeps going with ") for r in reasons)
    titles = " ".join(t.title.lower() for t in cur.topics.values())
    slugs = [t for t in cur.topics if "-" in t and t not in titles]
    assert not any(slug in r for slug in slugs for r in reasons)  # names, never ids
