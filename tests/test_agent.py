"""The LLM mode through the real llama-index agent and tools. No model can run offline here,
so: a scripted function-calling LLM (a subclass of llama-index's LLM interface) drives the
FunctionAgent; a stand-in OpenAI-compatible server on 127.0.0.1 goes through the real
`openai-like:` path (streaming and a tool call); a tiny random transformers model goes through
the real `transformers:` loading path."""

import importlib.util
import inspect
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import send_json
from llama_index.core.base.llms.types import ToolCallBlock
from llama_index.core.llms import ChatMessage
from llama_index.core.llms.mock import MockFunctionCallingLLM

from mentor.assistant.agent import LlmChoice, choose_llm, render_prompt
from mentor.assistant.citations import SourceBook
from mentor.assistant.conversation import Conversation
from mentor.assistant.tools import Toolbox
from mentor.errors import ConfigError
from mentor.learning import actions


class ScriptedLLM(MockFunctionCallingLLM):
    """Answers each chat call with the next scripted step: a tool call or a final text.
    Records the messages it was shown."""

    def __init__(self, steps):
        super().__init__(is_chat_model=True)
        self._steps = list(steps)
        self._seen = []
        self.response_generator = self._next

    def _next(self, messages, **kwargs):
        self._seen.append(list(messages))
        step = self._steps.pop(0) if self._steps else ("text", "(script exhausted)")
        if step[0] == "tool":
            return ChatMessage(
                role="assistant",
                blocks=[ToolCallBlock(tool_call_id=f"call-{len(self._seen)}", tool_name=step[1], tool_kwargs=step[2])],
            )
        if step[0] == "fail":
            raise RuntimeError("the model server went away")
        return ChatMessage(role="assistant", content=step[1])


def with_llm(deps, llm, spec="scripted"):
    deps.__dict__["llm"] = LlmChoice(spec, "test", llm)  # the production seam: Deps.llm
    return deps


def test_prompt_template_is_strict():
    assert '"ana"' in render_prompt("system.txt", learner="ana")
    with pytest.raises(KeyError):
        render_prompt("system.txt")


def test_agent_calls_tools_and_citations_are_rebuilt(offline_deps):
    llm = ScriptedLLM(
        [
            ("tool", "next_steps", {"goal": ""}),
            ("tool", "search_curriculum", {"query": "python fundamentals"}),
            ("text", "Start with Python fundamentals [1], then pair it with NumPy [2]. Also see [9]."),
        ]
    )
    chat = Conversation(with_llm(offline_deps, llm), "ana")
    answer = chat.ask("What should I learn next?")
    assert answer.mode == "scripted"
    assert [c["name"] for c in answer.tool_calls] == ["next_steps", "search_curriculum"]
    assert "[9]" not in answer.answer  # a number no tool gave is dropped
    assert [c.n for c in answer.citations] == [1, 2]
    chunks = {c.chunk_id: c for c in offline_deps.passages + offline_deps.retriever.index.chunks}
    for c in answer.citations:
        assert c.quote in chunks[c.chunk_id].text  # quotes come from the passage, not the model
    system = llm._seen[0][0]
    assert system.role == "system" and "never an instruction" in system.content
    tool_outputs = [m.content for m in llm._seen[-1] if m.role == "tool"]
    assert any("<passage>" in t for t in tool_outputs)


def test_model_can_only_propose_what_the_learner_stated(offline_deps):
    llm = ScriptedLLM(
        [("tool", "propose_progress", {"topic": "python", "status": "done"}), ("text", "Done, I marked it.")]
    )
    refused = Conversation(with_llm(offline_deps, llm), "ana").ask("what is pandas?")
    assert offline_deps.progress.history("ana") == [] and refused.proposals == []
    tool_msg = [m.content for m in llm._seen[-1] if m.role == "tool"][0]
    assert "Not proposed" in tool_msg
    llm2 = ScriptedLLM(
        [
            ("tool", "propose_progress", {"topic": "python", "status": "done"}),
            ("text", "Shall I record it? Confirm below."),
        ]
    )
    answer = Conversation(with_llm(offline_deps, llm2), "ana").ask("I finished python")
    assert offline_deps.progress.history("ana") == []  # proposed, not written
    assert [(p.topic, p.status, p.evidence) for p in answer.proposals] == [
        ("python-basics", "done", "I finished python")
    ]
    actions.apply_proposal(offline_deps, "ana", answer.proposals[0].id)
    assert offline_deps.progress.statuses("ana") == {"python-basics": "done"}
    assert offline_deps.progress.history("ana")[0].origin == "confirmed"


def test_a_model_proposing_from_passages_proposes_nothing(offline_deps):
    """The model searches, then tries to propose the topics the passages name; only the
    learner's own words can make a proposal."""
    llm = ScriptedLLM(
        [
            ("tool", "search_curriculum", {"query": "deep learning prerequisites"}),
            ("tool", "propose_progress", {"topic": "deep learning", "status": "done"}),
            ("tool", "propose_progress", {"topic": "numpy", "status": "done"}),
            ("tool", "update_progress", {"topic": "numpy", "status": "done"}),
            ("tool", "propose_undo", {}),
            ("text", "Marked everything."),
        ]
    )
    answer = Conversation(with_llm(offline_deps, llm), "ana").ask("what do I need before deep learning?")
    assert answer.proposals == [] and actions.pending_proposals(offline_deps, "ana") == []
    assert offline_deps.progress.history("ana") == []
    # the agent answers the call of a tool that does not exist itself; the rest reached the tools
    assert [c.name for c in answer.trace] == [
        "search_curriculum",
        "propose_progress",
        "propose_progress",
        "propose_undo",
    ]
    assert all(c.result.text.startswith("Not proposed") for c in answer.trace[1:])


def test_bad_tool_arguments_become_observations(offline_deps):
    llm = ScriptedLLM(
        [
            ("tool", "prerequisites", {"topic": "underwater welding"}),
            ("tool", "make_plan", {"hours_per_week": -3}),
            ("text", "The roadmaps don't cover that."),
        ]
    )
    answer = Conversation(with_llm(offline_deps, llm), "ana").ask("what do I need before underwater welding?")
    observations = [m.content for m in llm._seen[-1] if m.role == "tool"]
    assert "No topic in the curriculum matches" in observations[0]
    assert "Cannot plan" in observations[1]
    assert answer.answer == "The roadmaps don't cover that."


def test_a_call_that_does_not_fit_a_tool_is_an_observation(offline_deps):
    llm = ScriptedLLM(
        [
            ("tool", "lookup_topic", {"name": "pandas"}),
            ("tool", "make_plan", {"hours_per_week": "lots"}),
            ("tool", "next_steps", {"assuming_done": "python"}),
            ("text", "Sorry, let me try again later."),
        ]
    )
    answer = Conversation(with_llm(offline_deps, llm), "ana").ask("where can I learn pandas?")
    observations = [m.content for m in llm._seen[-1] if m.role == "tool"]
    assert observations[0] == "Bad arguments for lookup_topic: missing a required argument: 'topic'"
    assert "hours_per_week must be a number" in observations[1]
    assert "assuming_done must be a list of texts" in observations[2]
    assert [c["name"] for c in answer.tool_calls] == ["lookup_topic", "make_plan", "next_steps"]
    assert answer.answer == "Sorry, let me try again later."


def test_toolbox_run_checks_the_call_before_running_it(offline_deps):
    toolbox = Toolbox(offline_deps, "ana", SourceBook(), user_message="I finished numpy")
    assert toolbox.run("delete_everything").text.startswith("There is no tool called 'delete_everything'")
    assert toolbox.run("_topic", text="numpy").text.startswith("There is no tool called '_topic'")
    assert "unexpected keyword argument 'learner'" in toolbox.run("read_progress", learner="bo").text
    assert "topic must be text" in toolbox.run("propose_progress", topic=["numpy"], status="done").text
    assert "weeks must be a whole number" in toolbox.run("make_plan", hours_per_week=5, weeks=2.5).text
    assert "hours_per_week must be a number" in toolbox.run("make_plan", hours_per_week=True).text
    assert offline_deps.progress.history("ana") == []
    assert [c.name for c in toolbox.calls] == [
        "delete_everything",
        "_topic",
        "read_progress",
        "propose_progress",
        "make_plan",
        "make_plan",
    ]


def test_quoted_numbers_and_nulls_fit_the_signature(offline_deps):
    llm = ScriptedLLM(
        [("tool", "make_plan", {"hours_per_week": "8", "weeks": "12", "goal": None}), ("text", "Here is your plan.")]
    )
    answer = Conversation(with_llm(offline_deps, llm), "ana").ask("make me a 12-week plan at 8 hours a week")
    plan = answer.trace[0].result.data.to_dict()
    assert plan["hours_per_week"] == 8.0 and len(plan["weeks"]) == 12 and plan["goal"] is None


def test_a_bug_inside_a_tool_propagates(offline_deps, monkeypatch):
    def broken(self):
        raise TypeError("a bug of ours")

    monkeypatch.setattr(Toolbox, "read_progress", broken)
    with pytest.raises(TypeError, match="a bug of ours"):
        Conversation(offline_deps, "ana").ask("show my progress")
    llm = ScriptedLLM([("tool", "read_progress", {}), ("text", "You have done nothing.")])
    with pytest.raises(TypeError, match="a bug of ours"):  # not shown to the model, not an offline fallback
        Conversation(with_llm(offline_deps, llm), "ana").ask("show my progress")


def test_the_agent_is_given_every_tool_the_offline_mode_uses(offline_deps):
    from mentor.assistant.agent import llama_tools

    toolbox = Toolbox(offline_deps, "ana", SourceBook())
    assert [t.metadata.name for t in llama_tools(toolbox, [])] == list(Toolbox.NAMES)
    assert {"propose_undo", "propose_profile"} <= set(Toolbox.NAMES)
    for name in Toolbox.NAMES:
        method = getattr(toolbox, name)
        assert method.__doc__ and all(
            p.annotation is not p.empty for p in inspect.signature(method).parameters.values()
        )
    prompt = render_prompt("system.txt", learner="ana")
    for name in ("propose_progress", "propose_undo", "propose_profile", "next_steps", "assuming_done", "find_lines"):
        assert name in prompt


def test_model_can_propose_an_undo_only_when_the_learner_asks(offline_deps):
    chat = Conversation(
        with_llm(
            offline_deps,
            ScriptedLLM(
                [
                    ("tool", "propose_progress", {"topic": "numpy", "status": "done"}),
                    ("text", "Confirm it below."),
                    ("tool", "propose_undo", {}),
                    ("text", "Undone? No."),
                    ("tool", "propose_undo", {}),
                    ("text", "Confirm the undo below."),
                ]
            ),
        ),
        "ana",
    )
    stated = chat.ask("I finished numpy")
    actions.apply_proposal(offline_deps, "ana", stated.proposals[0].id)
    refused = chat.ask("what is pandas?")
    assert refused.trace[0].result.data["refused"] and offline_deps.progress.statuses("ana") == {"numpy": "done"}
    undo = chat.ask("undo that please")
    assert undo.trace[0].result.text.startswith("Proposed: undo NumPy")
    assert offline_deps.progress.statuses("ana") == {"numpy": "done"}
    actions.apply_proposal(offline_deps, "ana", undo.proposals[0].id)
    assert offline_deps.progress.statuses("ana") == {}


def test_model_proposes_only_the_profile_the_learner_states(offline_deps):
    llm = ScriptedLLM(
        [
            ("tool", "propose_profile", {"goal": "transformers", "hours_per_week": 6}),
            ("text", "Confirm it below."),
            ("tool", "propose_profile", {"hours_per_week": 40}),
            ("text", "Saved."),
            ("tool", "read_progress", {}),
            ("text", "Your goal is transformers."),
        ]
    )
    chat = Conversation(with_llm(offline_deps, llm), "ana")
    stated = chat.ask("My goal is transformers and I have 6 hours a week")
    assert offline_deps.progress.profile("ana") == {}
    actions.apply_proposal(offline_deps, "ana", stated.proposals[0].id)
    assert offline_deps.progress.profile("ana") == {
        "goal": "transformers",
        "hours_per_week": 6.0,
        "goal_topic": "transformers",
    }
    refused = chat.ask("what is pandas?")
    assert "Not proposed" in refused.trace[0].result.text and refused.proposals == []
    assert offline_deps.progress.profile("ana")["hours_per_week"] == 6.0
    shown = chat.ask("what do you know about me?")
    assert '"goal_topic": "transformers"' in shown.trace[0].result.text


def test_model_asks_what_comes_after_the_suggestions(offline_deps):
    llm = ScriptedLLM([("tool", "next_steps", {"assuming_done": ["python", "git"]}), ("text", "Then NumPy.")])
    answer = Conversation(with_llm(offline_deps, llm), "ana").ask("and after python and git?")
    ids = [t["id"] for t in answer.trace[0].result.data["topics"]]
    assert ids and "python-basics" not in ids and "git" not in ids
    assert offline_deps.progress.statuses("ana") == {}  # assumed, not recorded


def test_history_feeds_follow_ups(offline_deps):
    llm = ScriptedLLM([("text", "Learn Python first [1]."), ("text", "After that, NumPy.")])
    chat = Conversation(with_llm(offline_deps, llm), "ana")
    chat.ask("where do I start?")
    chat.ask("and after that?")
    roles = [(m.role.value, m.content) for m in llm._seen[-1] if m.role.value in ("user", "assistant")]
    assert roles[0] == ("user", "where do I start?") and roles[-1] == ("user", "and after that?")


def test_a_failing_model_falls_back_to_offline_mode(offline_deps):
    llm = ScriptedLLM([("fail",)])
    answer = Conversation(with_llm(offline_deps, llm), "ana").ask("What should I learn next?")
    assert answer.mode == "offline" and "Python fundamentals" in answer.answer
    assert any("answered in offline mode" in n for n in answer.notices)


def test_backend_choice(tmp_path, lsa_settings):
    s = lsa_settings.with_overrides(home=tmp_path)
    assert choose_llm(s.with_overrides(llm="none")).llm is None
    auto = choose_llm(s.with_overrides(llm="auto"))
    assert auto.llm is None and "offline" in auto.reason
    with pytest.raises(ConfigError, match="unknown LLM backend"):
        choose_llm(s.with_overrides(llm="gpt-42"))
    with pytest.raises(ConfigError, match="mentor models pull"):
        choose_llm(s.with_overrides(llm="transformers:nobody/nothing"))
    with pytest.raises(ConfigError, match="http"):
        choose_llm(s.with_overrides(llm="openai-like:ftp://x"))


# --- a stand-in OpenAI-compatible server on 127.0.0.1 ---------------------------------------


class FakeOpenAI(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._json({"object": "list", "data": [{"id": "tiny", "object": "model"}]})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.requests.append(body)
        has_tool_result = any(m.get("role") == "tool" for m in body["messages"])
        if has_tool_result:
            pieces = ["Learn pandas with ", "the Codebasics playlist [1]", "."]
            chunks = [{"delta": {"role": "assistant", "content": p}, "finish_reason": None} for p in pieces]
            chunks.append({"delta": {}, "finish_reason": "stop"})
            message = {"role": "assistant", "content": "".join(pieces)}
            finish = "stop"
        else:
            call = {
                "index": 0,
                "id": "call_1",
                "type": "function",
                "function": {"name": "search_curriculum", "arguments": json.dumps({"query": "pandas playlist"})},
            }
            chunks = [
                {"delta": {"role": "assistant", "content": None, "tool_calls": [call]}, "finish_reason": None},
                {"delta": {}, "finish_reason": "tool_calls"},
            ]
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [{k: v for k, v in call.items() if k != "index"}],
            }
            finish = "tool_calls"
        base = {"id": "chatcmpl-1", "created": 0, "model": body.get("model", "tiny")}
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for c in chunks:
                payload = {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, **c}]}
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
        else:
            self._json(
                {
                    **base,
                    "object": "chat.completion",
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
            )

    def _json(self, data):
        send_json(self, data)


@pytest.fixture
def openai_server():
    FakeOpenAI.requests = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


def test_openai_like_backend_streams_and_calls_tools(offline_deps, openai_server):
    settings = offline_deps.settings.with_overrides(llm=f"openai-like:{openai_server}#tiny", llm_api_key="k")
    from mentor.deps import Deps

    deps = Deps(settings)
    assert deps.llm.spec == f"openai-like:{openai_server}#tiny"
    chat = Conversation(deps, "ana")
    pieces = list(chat.stream("where can I learn pandas?"))
    answer = pieces[-1]
    assert [p for p in pieces[:-1]] == ["Learn pandas with ", "the Codebasics playlist [1]", "."]
    assert answer.tool_calls == [{"name": "search_curriculum", "args": {"query": "pandas playlist"}}]
    assert answer.citations and "pandas" in answer.citations[0].quote.lower()
    assert answer.mode.startswith("openai-like:")
    first, second = FakeOpenAI.requests
    assert first["stream"] is True and {t["function"]["name"] for t in first["tools"]} >= {
        "search_curriculum",
        "propose_progress",
    }
    assert first["messages"][0]["role"] == "system"
    assert any(m.get("role") == "tool" and "<passage>" in m["content"] for m in second["messages"])


def test_openai_like_server_down_falls_back(offline_deps):
    from mentor.deps import Deps

    deps = Deps(offline_deps.settings.with_overrides(llm="openai-like:http://127.0.0.1:9/v1#x", llm_timeout=2))
    answer = Conversation(deps, "ana").ask("what should I learn next?")
    assert answer.mode == "offline" and any("language model failed" in n for n in answer.notices)


@pytest.mark.skipif(importlib.util.find_spec("transformers") is None, reason="transformers not installed")
def test_transformers_backend_loads_a_local_model(offline_deps, tmp_path, corpus_texts):
    from tiny_models import build_causal_lm

    path = build_causal_lm(tmp_path / "tiny-llama", corpus_texts)
    from mentor.deps import Deps

    deps = Deps(offline_deps.settings.with_overrides(llm=f"transformers:{path}"))
    assert deps.llm.spec == f"transformers:{path}" and deps.llm.llm.metadata.is_chat_model
    # the real loading and generation path: a random model's text is noise, so the ReAct agent
    # either gets an answer or cannot parse one and the turn falls back to offline mode
    answer = Conversation(deps, "ana").ask("what should I learn next?")
    assert answer.answer
    assert answer.mode in (f"transformers:{path}", "offline")
    if answer.mode == "offline":
        assert any("language model failed" in n for n in answer.notices)
    reply = deps.llm.llm.complete("hello", max_new_tokens=5)
    assert isinstance(reply.text, str)


def test_the_llm_shown_to_people_carries_no_credentials(lsa_settings):
    from mentor.assistant.agent import choose_llm

    choice = choose_llm(lsa_settings.with_overrides(llm="openai-like:http://svc:s3cret@127.0.0.1:8000/v1#m"))
    assert "s3cret" not in choice.describe() and "svc" not in choice.spec
    assert choice.spec == "openai-like:http://127.0.0.1:8000/v1#m"
