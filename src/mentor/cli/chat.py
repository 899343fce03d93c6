"""`mentor ask` and `mentor chat`: the conversation engine on the command line, printing the
mode in use (which LLM, or offline) so nobody mistakes the offline answers for a model's."""

from __future__ import annotations

import argparse
import json
import sys

from mentor.assistant.conversation import Conversation
from mentor.cli.learn import learner
from mentor.deps import Deps
from mentor.errors import MentorError


def _conversation(deps: Deps, args):
    user = learner(deps, args)
    if deps.settings.llm == "auto" or args.verbose:
        print(f"[{deps.llm.describe()}: {deps.llm.reason}]", file=sys.stderr)
    return Conversation(deps, user)


def _print_answer(answer) -> None:
    for notice in answer.notices:
        print(f"note: {notice}", file=sys.stderr)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            link = f" {c.url}" if c.url else ""
            print(f"  [{c.n}] {c.title} › {c.section} (lines {c.lines[0]}-{c.lines[1]}){link}")
            print(f'      "{c.quote}"')


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
            for piece in conversation.stream(message):
                if isinstance(piece, str):
                    print(piece, end="", flush=True)
                else:
                    print()
                    _print_answer(piece)
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
