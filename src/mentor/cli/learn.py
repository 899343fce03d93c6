"""The learning commands of `mentor`: topics, next, prereqs, plan and progress.

They need no model and no index: the curriculum graph, the corpus text for citations and the
progress database. Output is human text by default and JSON with --json.
"""

from __future__ import annotations

import argparse
import json

from mentor.deps import Deps


def learner(deps: Deps, args) -> str:
    """--user when given (an empty one is refused, not taken for the default), else MENTOR_USER."""
    from mentor.learning.progress import check_learner

    if args.user is not None:
        return check_learner(args.user, "--user")
    return check_learner(deps.settings.user, "MENTOR_USER")


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _cite_line(c: dict) -> str:
    return f'{c["title"]} › {c["section"]} (lines {c["lines"][0]}-{c["lines"][1]}): "{c["quote"]}"'


# --- topics ---------------------------------------------------------------------------------


def cmd_topics(deps: Deps, args) -> int:
    cur = deps.curriculum
    if args.conflicts:
        if args.json:
            _print_json(cur.conflicts)
            return 0
        for i, c in enumerate(cur.conflicts, 1):
            print(f"{i}. {' vs '.join(c['topics'])}: {c['description']}")
            for s in c.get("sources", []):
                print(f'     {s["doc"]}: "{s["quote"]}"')
        return 0
    rows = [{"id": t.id, "title": t.title, "phase": t.phase, "prerequisites": t.prerequisites,
             "parallel_with": t.parallel, "hours": t.hours} for t in cur.topics.values()]
    if args.json:
        _print_json(rows)
        return 0
    for phase in cur.phases:
        print(f"\n{phase['title']}")
        for r in (r for r in rows if r["phase"] == phase["id"]):
            extra = f"  needs: {', '.join(r['prerequisites'])}" if r["prerequisites"] else ""
            extra += f"  with: {', '.join(r['parallel_with'])}" if r["parallel_with"] else ""
            print(f"  {r['id']:<28} {r['title']} ({r['hours']:g} h){extra}")
    return 0


# --- next and prereqs -----------------------------------------------------------------------


def next_payload(deps: Deps, user: str, goal_text: str | None) -> dict:
    from mentor.learning.plan import citations, next_steps, resources

    cur = deps.curriculum
    goal = cur.resolve(goal_text) if goal_text else None
    statuses = deps.progress.statuses(user)
    topics = []
    for s in next_steps(cur, statuses, goal):
        lead, companions = s.topics[0], s.topics[1:]
        topics.append({
            "id": lead.id, "title": lead.title, "why": s.why, "hours": lead.hours,
            "learn_with": [c.brief() for c in companions],
            "unlocks": s.unlocks,
            "resources": [r for t in s.topics for r in resources(t, deps.resource_index)],
            "citations": citations(lead, deps.passages),
        })
    return {"user": user, "goal": goal.brief() if goal else None, "topics": topics}


def cmd_next(deps: Deps, args) -> int:
    data = next_payload(deps, learner(deps, args), args.goal)
    if args.json:
        _print_json(data)
        return 0
    if not data["topics"]:
        target = f" for {data['goal']['title']}" if data["goal"] else ""
        print(f"Nothing left to learn{target}: everything it needs is done or skipped.")
        return 0
    print(f"Next steps for {data['user']}" + (f" towards {data['goal']['title']}:" if data["goal"] else ":"))
    for i, t in enumerate(data["topics"], 1):
        together = f" (together with {', '.join(c['title'] for c in t['learn_with'])})" if t["learn_with"] else ""
        print(f"\n{i}. {t['title']} [{t['id']}], about {t['hours']:g} h{together}")
        print(f"   Why: {t['why']}")
        for r in t["resources"][:3]:
            print(f"   Resource: {r['anchor']} ({r['kind']}) {r['url']}")
        for c in t["citations"][:2]:
            print(f"   Source: {_cite_line(c)}")
    return 0


def cmd_prereqs(deps: Deps, args) -> int:
    from mentor.learning.plan import prerequisite_chain

    cur = deps.curriculum
    topic = cur.resolve(args.topic)
    statuses = deps.progress.statuses(learner(deps, args)) if (args.user is not None or not args.json) else None
    data = prerequisite_chain(cur, topic, statuses)
    if args.json:
        _print_json(data)
        return 0
    if not data["prerequisites"]:
        print(f"{topic.title} has no prerequisites: you can start it any time.")
        return 0
    print(f"Before {topic.title} [{topic.id}], in order:")
    for p in data["prerequisites"]:
        mark = "  " if p["id"] in data["missing"] else "✓ "
        src = p["sources"][0]
        origin = f'{src["kind"]}: {src["doc"]} "{src["quote"]}"' if src.get("quote") else f'{src["kind"]}: {src.get("note")}'
        print(f"  {mark}{p['title']} [{p['id']}] (depth {p['depth']}) — {origin}")
    if statuses is not None:
        missing = [cur.topics[m].title for m in data["missing"]]
        print("\nStill missing: " + (", ".join(missing) if missing else "nothing, you are ready."))
    return 0


# --- plan -----------------------------------------------------------------------------------


def plan_payload(deps: Deps, user: str, hours: float, weeks: int | None, goal_text: str | None) -> dict:
    from mentor.learning.plan import check_plan, make_plan, resources

    cur = deps.curriculum
    goal = cur.resolve(goal_text) if goal_text else None
    statuses = deps.progress.statuses(user)
    plan = make_plan(cur, statuses, hours, weeks, goal)
    problems = check_plan(cur, plan, statuses)
    if problems:  # a bug of ours, not the learner's: refuse to show a wrong plan
        raise RuntimeError("plan violates prerequisites: " + "; ".join(problems))
    out_weeks = []
    for n, week in enumerate(plan.weeks, 1):
        res = []
        for tid, _ in week:
            res += [r for r in resources(cur.topics[tid], deps.resource_index) if r not in res]
        out_weeks.append({"week": n, "topics": [{"id": t, "title": cur.topics[t].title, "hours": round(h, 2)}
                                                for t, h in week], "resources": res})
    return {"user": user, "goal": goal.brief() if goal else None, "hours_per_week": hours,
            "weeks": out_weeks, "total_hours": plan.total_hours, "unscheduled": plan.unscheduled}


def plan_markdown(data: dict) -> str:
    title = f"Study plan for {data['user']}" + (f": towards {data['goal']['title']}" if data["goal"] else "")
    out = [f"# {title}", "", f"{data['hours_per_week']:g} hours a week, {data['total_hours']:g} hours in all.", ""]
    for w in data["weeks"]:
        out.append(f"## Week {w['week']}")
        out += [f"- {t['title']} — {t['hours']:g} h" for t in w["topics"]]
        out += [f"  - resource: [{r['anchor']}]({r['url']})" for r in w["resources"]]
        out.append("")
    if data["unscheduled"]:
        out.append(f"Not within these weeks: {', '.join(data['unscheduled'])}.")
    return "\n".join(out)


def cmd_plan(deps: Deps, args) -> int:
    data = plan_payload(deps, learner(deps, args), args.hours_per_week, args.weeks, args.goal)
    if args.json:
        _print_json(data)
    elif args.md:
        print(plan_markdown(data))
    else:
        if not data["weeks"]:
            print("Nothing to plan: everything is done or skipped.")
            return 0
        for w in data["weeks"]:
            items = ", ".join(f"{t['title']} ({t['hours']:g} h)" for t in w["topics"])
            print(f"Week {w['week']:>3}: {items}")
        print(f"Total: {data['total_hours']:g} hours over {len(data['weeks'])} weeks at {args.hours_per_week:g} h/week.")
        if data["unscheduled"]:
            print(f"Does not fit in {args.weeks} weeks: {len(data['unscheduled'])} topics left "
                  "(raise --hours-per-week or --weeks).")
    return 0


# --- progress -------------------------------------------------------------------------------


def cmd_progress(deps: Deps, args) -> int:
    from mentor.learning import transfer as progress_files
    from mentor.learning.progress import parse_status

    user = learner(deps, args)
    cur, store = deps.curriculum, deps.progress
    action = args.progress_command
    if action == "set":
        topic = cur.resolve(" ".join(args.topic))
        status = parse_status(args.status)
        store.record(user, topic.id, status, origin="typed")
        print(f"{topic.title} [{topic.id}] is now {status} for {user}. Undo with `mentor progress undo`.")
    elif action == "undo":
        undone = store.undo(user)
        if undone is None:
            print("Nothing to undo.")
        else:
            change, revert = undone
            print(f"Undid #{change.id}: {change.topic} is back to {revert.status}.")
    elif action == "show":
        state = store.state(user)
        if args.json:
            print(progress_files.export_json(user, cur, state))
        else:
            print(progress_files.export_markdown(user, cur, state))
    elif action == "history":
        for e in store.history(user):
            extra = f" (undoes #{e.undoes})" if e.undoes else ""
            print(f"#{e.id} {e.created_at} {e.topic} -> {e.status} [{e.origin}]{extra}")
    elif action == "import":
        result = progress_files.read_import(args.file, cur)
        if result.changes:
            store.record_many(user, result.changes, origin="imported", note=f"import of {args.file.name}")
        print(f"Imported {len(result.changes)} topic statuses for {user} from {args.file} ({result.format}).")
        for tid, line in result.evidence.items():
            print(f"  {cur.topics[tid].title} -> {result.changes[tid]}   ← {line[:70]}")
        if result.unmatched:
            print(f"{len(result.unmatched)} marked lines name no topic and were left alone:")
            for line in result.unmatched[:20]:
                print(f"  {line[:90]}")
    elif action == "export":
        state = store.state(user)
        text = (progress_files.export_json(user, cur, state) if args.format == "json"
                else progress_files.export_markdown(user, cur, state))
        print(text)
    return 0


# --- wiring ---------------------------------------------------------------------------------


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    from mentor.cli.main import file_arg

    user = argparse.ArgumentParser(add_help=False)
    user.add_argument("--user", help="learner name (MENTOR_USER, default 'me')")

    p = sub.add_parser("topics", parents=[common], help="the curriculum's topics")
    p.add_argument("--json", action="store_true")
    p.add_argument("--conflicts", action="store_true", help="where the roadmaps disagree")
    p.set_defaults(func=cmd_topics, deps=True)

    p = sub.add_parser("next", parents=[common, user], help="what to learn next, and why")
    p.add_argument("--goal", help="a topic to work towards (free text)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_next, deps=True)

    p = sub.add_parser("prereqs", parents=[common, user], help="everything a topic needs first")
    p.add_argument("topic", help="a topic (free text: 'transformers', 'LR', 'neural nets')")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_prereqs, deps=True)

    p = sub.add_parser("plan", parents=[common, user], help="a week-by-week study plan")
    p.add_argument("--hours-per-week", type=float, required=True)
    p.add_argument("--weeks", type=int)
    p.add_argument("--goal")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--md", action="store_true")
    p.set_defaults(func=cmd_plan, deps=True)

    p = sub.add_parser("progress", help="record and review what you have learned")
    psub = p.add_subparsers(dest="progress_command", required=True)
    s = psub.add_parser("set", parents=[common, user], help="set a topic's status")
    s.add_argument("topic", nargs="+", help="the topic (free text)")
    s.add_argument("status", help="done | learning | skipped | not_started")
    s.set_defaults(func=cmd_progress, deps=True)
    s = psub.add_parser("show", parents=[common, user], help="statuses by phase")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_progress, deps=True)
    for name, text in (("undo", "revert the latest change"), ("history", "every change, in order")):
        psub.add_parser(name, parents=[common, user], help=text).set_defaults(func=cmd_progress, deps=True)
    s = psub.add_parser("import", parents=[common, user], help="a marked-up roadmap or a JSON export")
    s.add_argument("file", type=file_arg)
    s.set_defaults(func=cmd_progress, deps=True)
    s = psub.add_parser("export", parents=[common, user], help="JSON or a Markdown checklist")
    s.add_argument("--format", choices=("json", "md"), default="json")
    s.set_defaults(func=cmd_progress, deps=True)

