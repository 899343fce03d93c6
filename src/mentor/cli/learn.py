"""The learning commands of `mentor`: topics, next, prereqs, plan and progress.

They need no model and no index: the curriculum graph, the corpus text for citations and the
progress database. Each command translates its arguments into a call of `mentor.learning.actions`
and prints the typed result as human text, or as JSON with --json. Not here: any rule about
what to learn or when (that is `mentor.learning`), nor the file formats (`transfer`, `exports`).
"""

from __future__ import annotations

import argparse
import json
import sys

from mentor.cli.options import file_arg
from mentor.deps import Deps
from mentor.learning import actions
from mentor.learning.exports import plan_markdown
from mentor.learning.feeds import csv_export, review_feed
from mentor.learning.progress import check_learner


def learner(deps: Deps, args) -> str:
    """--user when given (an empty one is refused, not taken for the default), else MENTOR_USER."""
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
        return _print_conflicts(cur.conflicts, args.json)
    rows = [
        {
            "id": t.id,
            "title": t.title,
            "phase": t.phase,
            "prerequisites": t.prerequisites,
            "after": t.after,
            "parallel_with": t.parallel,
            "hours": t.hours,
        }
        for t in cur.topics.values()
    ]
    if args.json:
        _print_json(rows)
        return 0
    for phase in cur.phases:
        print(f"\n{phase['title']}")
        for r in (r for r in rows if r["phase"] == phase["id"]):
            extra = f"  needs: {', '.join(r['prerequisites'])}" if r["prerequisites"] else ""
            extra += f"  after: {', '.join(r['after'])}" if r["after"] else ""
            extra += f"  with: {', '.join(r['parallel_with'])}" if r["parallel_with"] else ""
            print(f"  {r['id']:<28} {r['title']} ({r['hours']:g} h){extra}")
    return 0


def _print_conflicts(conflicts: list[dict], as_json: bool) -> int:
    if as_json:
        _print_json(conflicts)
        return 0
    for i, c in enumerate(conflicts, 1):
        print(f"{i}. {' vs '.join(c['topics'])}: {c['description']}")
        for s in c.get("sources", []):
            print(f'     {s["doc"]}: "{s["quote"]}"')
    return 0


# --- next and prereqs -----------------------------------------------------------------------


def cmd_next(deps: Deps, args) -> int:
    result = actions.next_steps_for(deps, learner(deps, args), args.goal)
    if args.json:
        _print_json(result.to_dict())
        return 0
    if not result.steps:
        target = f" for {result.goal.title}" if result.goal else ""
        print(f"Nothing left to learn{target}: everything it needs is done or skipped.")
        return 0
    print(f"Next steps for {result.learner}" + (f" towards {result.goal.title}:" if result.goal else ":"))
    for i, step in enumerate(result.steps, 1):
        _print_step(i, step)
    return 0


def _print_step(i: int, step: actions.Step) -> None:
    t = step.topic
    together = f" (together with {', '.join(c.title for c in step.companions)})" if step.companions else ""
    print(f"\n{i}. {t.title} [{t.id}], about {t.hours:g} h{together}")
    print(f"   Why: {step.why}")
    for r in step.resources[:3]:
        print(f"   Resource: {r['anchor']} ({r['kind']}) {r['url']}")
    for c in step.citations[:2]:
        print(f"   Source: {_cite_line(c)}")


def cmd_prereqs(deps: Deps, args) -> int:
    # a learner's gaps are shown as text, and in JSON only when --user asks for them
    user = learner(deps, args) if (args.user is not None or not args.json) else None
    result = actions.prerequisites_for(deps, args.topic, user)
    if args.json:
        _print_json(result.to_dict())
        return 0
    topic = result.topic
    if not result.prerequisites:
        print(f"{topic.title} has no prerequisites: you can start it any time.")
    else:
        print(f"Before {topic.title} [{topic.id}], in order:")
        for p in result.prerequisites:
            mark = "  " if p.id in result.missing else "✓ "
            print(f"  {mark}{p.title} [{p.id}] (depth {p.depth}) — {_origin(p.sources[0])}")
        missing = [deps.curriculum.topics[m].title for m in result.missing]
        print("\nStill missing: " + (", ".join(missing) if missing else "nothing, you are ready."))
    if result.recommended:
        print("\nBetter learned first (an order the roadmaps suggest, not a requirement):")
        for r in result.recommended:
            print(f"  {r['title']} [{r['id']}] — {_origin(r['sources'][0])}")
    return 0


def _origin(src: dict) -> str:
    return f'{src["kind"]}: {src["doc"]} "{src["quote"]}"' if src.get("quote") else f"{src['kind']}: {src.get('note')}"


# --- plan -----------------------------------------------------------------------------------


def cmd_plan(deps: Deps, args) -> int:
    plan = actions.study_plan_for(deps, learner(deps, args), args.hours_per_week, args.weeks, args.goal)
    if args.json:
        _print_json(plan.to_dict())
    elif args.md:
        print(plan_markdown(plan))
    else:
        _print_plan(plan, args.weeks)
    return 0


def _print_plan(plan: actions.StudyPlan, weeks: int | None) -> None:
    if not plan.weeks:
        print("Nothing to plan: everything is done or skipped.")
        return
    for week in plan.weeks:
        items = ", ".join(f"{t.title} ({t.hours:g} h)" for t in week.topics)
        print(f"Week {week.number:>3}: {items}")
    print(f"Total: {plan.total_hours:g} hours over {len(plan.weeks)} weeks at {plan.hours_per_week:g} h/week.")
    if plan.pace is not None:
        print(plan.pace.describe())
    if plan.unscheduled:
        print(
            f"Does not fit in {weeks} weeks: {len(plan.unscheduled)} topics left (raise --hours-per-week or --weeks)."
        )


# --- progress -------------------------------------------------------------------------------


def cmd_progress_set(deps: Deps, args) -> int:
    change = actions.set_status(deps, learner(deps, args), " ".join(args.topic), args.status)
    t = change.topic
    print(f"{t.title} [{t.id}] is now {change.status} for {change.learner}. Undo with `mentor progress undo`.")
    return 0


def cmd_progress_undo(deps: Deps, args) -> int:
    undone = actions.undo_last(deps, learner(deps, args))
    if undone is None:
        print("Nothing to undo.")
    else:
        print(f"Undid #{undone.change.id}: {undone.topic} is back to {undone.status}.")
    return 0


def cmd_progress_show(deps: Deps, args) -> int:
    return _print_progress(actions.progress_of(deps, learner(deps, args)), args.json)


def cmd_progress_export(deps: Deps, args) -> int:
    if args.format in FEEDS:  # for other tools: CRLF line ends, written as they are
        sys.stdout.write(FEEDS[args.format](deps, learner(deps, args)))
        return 0
    return _print_progress(actions.progress_of(deps, learner(deps, args)), args.format == "json")


FEEDS = {"csv": csv_export, "ics": review_feed}


def _print_progress(report: actions.ProgressReport, as_json: bool) -> int:
    if as_json:
        _print_json(report.to_dict())
    else:
        print(report.to_markdown())
    return 0


def cmd_progress_history(deps: Deps, args) -> int:
    for e in actions.history_of(deps, learner(deps, args)):
        extra = f" (undoes #{e.undoes})" if e.undoes else ""
        print(f"#{e.id} {e.created_at} {e.topic} -> {e.status} [{e.origin}]{extra}")
    return 0


def cmd_progress_apply(deps: Deps, args) -> int:
    print(actions.apply_proposal(deps, learner(deps, args), args.id).describe())
    return 0


def cmd_progress_dismiss(deps: Deps, args) -> int:
    print(actions.dismiss_proposal(deps, learner(deps, args), args.id).describe())
    return 0


def cmd_progress_pending(deps: Deps, args) -> int:
    pending = actions.pending_proposals(deps, learner(deps, args))
    if args.json:
        _print_json({"proposals": [p.to_dict() for p in pending]})
    elif not pending:
        print("No proposals are waiting for you.")
    for p in pending if not args.json else []:
        print(f"{p.id}  {p.describe()}   ← {p.evidence[:70]!r}")
    return 0


def cmd_progress_import(deps: Deps, args) -> int:
    done = actions.import_progress(deps, learner(deps, args), args.file)
    result, titles = done.result, deps.curriculum.topics
    print(f"Imported {len(result.changes)} topic statuses for {done.learner} from {args.file} ({result.format}).")
    for tid, line in result.evidence.items():
        print(f"  {titles[tid].title} -> {result.changes[tid]}   ← {line[:70]}")
    if result.unmatched:
        print(f"{len(result.unmatched)} marked lines name no topic and were left alone:")
        for line in result.unmatched[:20]:
            print(f"  {line[:90]}")
    return 0


# --- wiring ---------------------------------------------------------------------------------


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
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

    _add_progress_parsers(sub, common, user)


def _add_progress_parsers(sub, common: argparse.ArgumentParser, user: argparse.ArgumentParser) -> None:
    p = sub.add_parser("progress", help="record and review what you have learned")
    psub = p.add_subparsers(dest="progress_command", required=True)
    s = psub.add_parser("set", parents=[common, user], help="set a topic's status")
    s.add_argument("topic", nargs="+", help="the topic (free text)")
    s.add_argument("status", help="done | learning | skipped | not_started")
    s.set_defaults(func=cmd_progress_set, deps=True)
    s = psub.add_parser("show", parents=[common, user], help="statuses by phase")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_progress_show, deps=True)
    for name, text, func in (
        ("undo", "revert the latest change", cmd_progress_undo),
        ("history", "every change, in order", cmd_progress_history),
    ):
        psub.add_parser(name, parents=[common, user], help=text).set_defaults(func=func, deps=True)
    for name, text, func in (
        ("apply", "confirm a change the mentor proposed in chat (its id)", cmd_progress_apply),
        ("dismiss", "turn down a change the mentor proposed in chat (its id)", cmd_progress_dismiss),
    ):
        s = psub.add_parser(name, parents=[common, user], help=text)
        s.add_argument("id", help="the proposal's id, as `mentor ask` or `progress pending` shows it")
        s.set_defaults(func=func, deps=True)
    s = psub.add_parser("pending", parents=[common, user], help="changes proposed in chat, waiting for you")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_progress_pending, deps=True)
    s = psub.add_parser("import", parents=[common, user], help="a marked-up roadmap or a JSON export")
    s.add_argument("file", type=file_arg)
    s.set_defaults(func=cmd_progress_import, deps=True)
    s = psub.add_parser(
        "export", parents=[common, user], help="JSON, a Markdown checklist, CSV, or an iCalendar feed of reviews"
    )
    s.add_argument("--format", choices=("json", "md", "csv", "ics"), default="json")
    s.set_defaults(func=cmd_progress_export, deps=True)
