"""`mentor ask` and `mentor chat`: the conversation engine on the command line, printing the
mode in use (which LLM, or offline) so nobody mistakes the offline answers for a model's."""

from __future__ import annotations

import argparse
import json
import sys

from mentor.cli.learn import learner
from mentor.deps import Deps
from mentor.errors import MentorError
from mentor.learning import actions


def _conversation(deps: Deps, args):
    user = learner(deps, args)
    if deps.settings.llm == "auto" or args.verbose:
        print(f"[{deps.llm.describe()}: {deps.llm.reason}]", file=sys.stderr)
    return deps.conversations.get(user)


def _print_answer(answer, hint_apply: bool = True) -> None:
    for notice in answer.notices:
        print(f"note: {notice}", file=sys.stderr)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            link = f" {c.url}" if c.url else ""
            print(f"  [{c.n}] {c.title} › {c.section} (lines {c.lines[0]}-{c.lines[1]}){link}")
            print(f'      "{c.quote}"')
    if hint_apply and answer.proposals:
        print("\nWaiting for your confirmation (nothing is recorded until you apply it):")
        for p in answer.proposals:
            print(f"  {p.describe()}: mentor progress apply {p.id}")


def _confirm(deps: Deps, learner: str, proposals, ask=input) -> None:
    """Ask about each proposal; yes applies it, no dismisses it, end of input leaves it pending."""
    for p in proposals:
        while True:
            reply = ask(f"{_question(p)} (yes/no) ").strip().lower()
            if reply in ("y", "yes", "n", "no"):
                break
            print("Please answer yes or no.")
        result = (actions.apply_proposal if reply.startswith("y") else actions.dismiss_proposal)(deps, learner, p.id)
        print(result.describe())


def _question(p) -> str:
    if p.kind == "profile":
        return f"Remember {p.title}?"
    if p.kind == "undo":
        return f"Undo your last change ({p.title}), back to {p.status.replace('_', ' ')}?"
    return f"Record {p.title} as {p.status.replace('_', ' ')}?"


def cmd_ask(deps: Deps, args) -> int:
    conversation = _conversation(deps, args)
    question = " ".join(args.question)
    if args.json:
        print(json.dumps(conversation.ask(question).to_dict(), ensure_ascii=False, indent=2))
        return 0
    answer = None
    for piece in conversation.stream(question):
        if isinstance(piece, str):
            print(piece, end="", flush=True)
        else:
            answer = piece
    print()
    _print_answer(answer)
    return 0


def cmd_chat(deps: Deps, args) -> int:
    conversation = _conversation(deps, args)
    print(f"mentor chat ({deps.llm.describe()}). Ask anything about learning ML; Ctrl-D or 'quit' to leave.")
    while True:
        try:
            message = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if message.strip().lower() in ("quit", "exit", "bye"):
            return 0
        if not message.strip():
            continue
        try:
            print("mentor> ", end="")
            answer = None
            for piece in conversation.stream(message):
                if isinstance(piece, str):
                    print(piece, end="", flush=True)
                else:
                    answer = piece
            print()
            _print_answer(answer, hint_apply=False)
            _confirm(deps, conversation.learner, answer.proposals)
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        except MentorError as exc:
            print(f"\nerror: {exc}")


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--user", help="learner name (MENTOR_USER, default 'me')")
    who.add_argument("--llm", help="auto | none | openai-like:<url>[#model] | transformers:<id or path> (MENTOR_LLM)")
    who.add_argument("--verbose", action="store_true", help="say which mode answers")

    p = sub.add_parser("ask", parents=[common, who], help="ask the mentor one question")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask, deps=True)

    p = sub.add_parser("chat", parents=[common, who], help="an interactive conversation")
    p.set_defaults(func=cmd_chat, deps=True)
