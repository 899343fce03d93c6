"""The LLM mode through the real llama-index agent and tools. No model can run offline here,
so: a scripted function-calling LLM (a subclass of llama-index's LLM interface) drives the
FunctionAgent; a stand-in OpenAI-compatible server on 127.0.0.1 goes through the real
`openai-like:` path (streaming and a tool call); a tiny random transformers model goes through
the real `transformers:` loading path."""

import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import send_json
from llama_index.core.base.llms.types import ToolCallBlock
from llama_index.core.llms import ChatMessage
from llama_index.core.llms.mock import MockFunctionCallingLLM

from mentor.assistant.agent import LlmChoice, choose_llm, render_prompt
from mentor.assistant.conversation import Conversation
from mentor.errors import ConfigError


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
            return ChatMessage(role="assistant", blocks=[
                ToolCallBlock(tool_call_id=f"call-{len(self._seen)}", tool_name=step[1], tool_kwargs=step[2])])
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
    llm = ScriptedLLM([
        ("tool", "next_steps", {"goal": ""}),
        ("tool", "search_curriculum", {"query": "python fundamentals"}),
        ("text", "Start with Python fundamentals [1], then pair it with NumPy [2]. Also see [9]."),
    ])
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


def test_model_cannot_write_progress_without_the_learners_statement(offline_deps):
    llm = ScriptedLLM([("tool", "update_progress", {"topic": "python", "status": "done"}),
                       ("text", "Done, I marked it.")])
    Conversation(with_llm(offline_deps, llm), "ana").ask("what is pandas?")
    assert offline_deps.progress.history("ana") == []
    tool_msg = [m.content for m in llm._seen[-1] if m.role == "tool"][0]
    assert "Not recorded" in tool_msg
    llm2 = ScriptedLLM([("tool", "update_progress", {"topic": "python", "status": "done"}),
                        ("text", "Recorded. Say undo to take it back.")])
    Conversation(with_llm(offline_deps, llm2), "ana").ask("I finished python")
    assert offline_deps.progress.statuses("ana") == {"python-basics": "done"}
    assert offline_deps.progress.history("ana")[0].origin == "agent"


def test_bad_tool_arguments_become_observations(offline_deps):
    llm = ScriptedLLM([("tool", "prerequisites", {"topic": "underwater welding"}),
                       ("tool", "make_plan", {"hours_per_week": -3}),
                       ("text", "The roadmaps don't cover that.")])
    answer = Conversation(with_llm(offline_deps, llm), "ana").ask("what do I need before underwater welding?")
    observations = [m.content for m in llm._seen[-1] if m.role == "tool"]
    assert "No topic in the curriculum matches" in observations[0]
    assert "Cannot plan" in observations[1]
    assert answer.answer == "The roadmaps don't cover that."


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
            call = {"index": 0, "id": "call_1", "type": "function",
                    "function": {"name": "search_curriculum", "arguments": json.dumps({"query": "pandas playlist"})}}
            chunks = [{"delta": {"role": "assistant", "content": None, "tool_calls": [call]}, "finish_reason": None},
                      {"delta": {}, "finish_reason": "tool_calls"}]
            message = {"role": "assistant", "content": None, "tool_calls": [{k: v for k, v in call.items() if k != "index"}]}
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
            self._json({**base, "object": "chat.completion",
                        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

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
    assert first["stream"] is True and {t["function"]["name"] for t in first["tools"]} >= {"search_curriculum", "update_progress"}
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
