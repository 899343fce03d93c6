"""The commands for what a learner brings: `mentor corpus add/list/remove` (their own roadmaps)
and `mentor note` (notes per topic).

Each translates its arguments into a call of `mentor.learning.own.roadmaps` or
`mentor.learning.notes.store` and prints the typed result as text, or as JSON with --json.
Not here: any rule about reading a roadmap or keeping a note.
"""

from __future__ import annotations

import argparse
import json
import sys

from mentor.cli.learn import learner
from mentor.cli.options import file_arg
from mentor.deps import Deps
from mentor.learning.notes import store as notes
from mentor.learning.own import roadmaps


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


# --- corpus -----------------------------------------------------------------------------------


def cmd_corpus_add(deps: Deps, args) -> int:
    if not args.no_ingest:
        print("adding the roadmap and rebuilding the index…", file=sys.stderr)
    added = roadmaps.add_roadmap_file(deps, learner(deps, args), args.file, args.title, rebuild=not args.no_ingest)
    if args.json:
        _print_json(added.to_dict())
        return 0
    r = added.roadmap
    print(f"Added {r.title!r} as {r.id}: {added.passages} passages" + ("." if added.indexed else ", not indexed yet."))
    print("It is part of the shared corpus now: everyone using this mentor can find its passages.")
    if not added.indexed:
        print("Run `mentor ingest` to make it searchable.")
    print(f"Linked to {len(added.linked)} curriculum topics: " + ", ".join(t["title"] for t in added.linked[:12]))
    if added.unmatched:
        print(f"{len(added.unmatched)} items name no curriculum topic (left unlinked, not guessed):")
        for item in added.unmatched[:20]:
            print(f"  line {item['line']}: {item['text'][:90]}")
    for d in added.disagreements:
        print(f"Order: {d['message']}")
    if added.proposals:
        print("Marked done in your roadmap; confirm with `mentor progress apply ID` (or `progress pending`):")
        for p in added.proposals:
            print(f"  {p.id}  {p.describe()}   ← {p.evidence[:70]!r}")
    return 0


def cmd_corpus_list(deps: Deps, args) -> int:
    found = roadmaps.list_roadmaps(deps)
    if args.json:
        _print_json({"roadmaps": found})
        return 0
    for r in found:
        origin = "built-in, read-only" if r["builtin"] else f"added by {r['added_by']} on {r['added_at'][:10]}"
        print(f"{r['id']:<28} {r['title']} ({origin})")
    return 0


def cmd_corpus_remove(deps: Deps, args) -> int:
    removed = roadmaps.remove_roadmap(deps, args.id, rebuild=not args.no_ingest)
    if args.json:
        _print_json(removed.to_dict())
    else:
        print(f"Removed {removed.roadmap.title!r} ({removed.roadmap.id})" + ("." if removed.indexed else ";"))
        if not removed.indexed:
            print("run `mentor ingest` to take it out of the index.")
    return 0


# --- notes ------------------------------------------------------------------------------------


def cmd_note(deps: Deps, args) -> int:
    user = learner(deps, args)
    if args.delete is not None:
        gone = notes.delete_note(deps, user, args.delete)
        print(f"Deleted note {gone.id} on {gone.topic}.")
        return 0
    if args.text:
        topic, note = notes.add_note(deps, user, args.topic, " ".join(args.text))
        if args.json:
            _print_json({"topic": topic.brief(), "note": note.to_dict()})
        else:
            print(f"Noted on {topic.title} [{topic.id}] (note {note.id}).")
        return 0
    found = notes.notes_of(deps, user, args.topic)
    if args.json:
        _print_json(found.to_dict())
        return 0
    if not found.notes:
        print("No notes yet." + (f' Add one: mentor note {args.topic} "…"' if args.topic else ""))
    titles = {t.id: t.title for t in deps.curriculum.topics.values()}
    for n in found.notes:
        print(f"[{n.id}] {titles.get(n.topic, n.topic)} — {n.created_at[:16]}")
        print("    " + n.text.replace("\n", "\n    "))
    return 0


# --- wiring -----------------------------------------------------------------------------------


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    user = argparse.ArgumentParser(add_help=False)
    user.add_argument("--user", help="learner name (MENTOR_USER, default 'me')")
    no_ingest = argparse.ArgumentParser(add_help=False)
    no_ingest.add_argument("--no-ingest", action="store_true", help="do not rebuild the index now")

    p = sub.add_parser("corpus", help="your own roadmaps, beside the five built-in ones")
    csub = p.add_subparsers(dest="corpus_command", required=True)
    s = csub.add_parser("add", parents=[common, user, no_ingest], help="add a roadmap (text or Markdown)")
    s.add_argument("file", type=file_arg)
    s.add_argument("--title", help="its title (default: the file's name); the id is made from it")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_corpus_add, deps=True)
    s = csub.add_parser("list", parents=[common], help="the built-in roadmaps and those added")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_corpus_list, deps=True)
    s = csub.add_parser("remove", parents=[common, no_ingest], help="remove a roadmap you added (its id)")
    s.add_argument("id")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_corpus_remove, deps=True)

    p = sub.add_parser("note", parents=[common, user], help="keep a note on a topic, or show your notes")
    p.add_argument("topic", nargs="?", help="the topic (free text); none: every note")
    p.add_argument("text", nargs="*", help="the note; none: show the topic's notes")
    p.add_argument("--delete", type=int, metavar="ID", help="delete one of your notes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_note, deps=True)
