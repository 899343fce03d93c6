"""The options OpenAI-compatible servers differ on (`llm_server.py`): tool calls or ReAct, the
context window, the timeouts. The ReAct path runs through the real llama-index ReActAgent, first
with the scripted fake LLM, then against a real HTTP server on 127.0.0.1 that speaks the
chat-completions protocol and refuses tool calls the way vLLM does without
`--enable-auto-tool-choice`."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from llama_index.core.agent.workflow import FunctionAgent, ReActAgent
from llama_index.llms.openai_like import OpenAILike
from test_agent import ScriptedLLM

from mentor.assistant.agent import LlmChoice, build_agent, choose_llm
from mentor.assistant.citations import SourceBook
from mentor.assistant.conversation import Conversation
from mentor.assistant.llm_server import refuses_tool_calls
from mentor.assistant.tools import Toolbox
from mentor.config import load_settings
from mentor.deps import Deps
from mentor.errors import ConfigError

VLLM_REFUSAL = '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'
REACT_SEARCH = 'Thought: I need the curriculum.\nAction: search_curriculum\nAction Input: {"query": "pandas playlist"}'
REACT_ANSWER = "Thought: I can answer now.\nAnswer: Learn pandas with the Codebasics playlist [1]."


@pytest.mark.parametrize(
    "variable, value",
    [
        ("MENTOR_LLM_TOOLS", "maybe"),
        ("MENTOR_LLM_CONTEXT", "abc"),
        ("MENTOR_LLM_CONTEXT", "100"),
        ("MENTOR_LLM_CONNECT_TIMEOUT", "0"),
        ("MENTOR_LLM_CONNECT_TIMEOUT", "inf"),
    ],
)
def test_a_bad_llm_option_names_its_variable(variable, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=f"^{variable}: must be .*got '{value}'"):
        load_settings()


def test_the_options_reach_the_client(lsa_settings):
    settings = lsa_settings.with_overrides(
        llm="openai-like:http://127.0.0.1:8000/v1#m", llm_context=32768, llm_timeout=300, llm_connect_timeout=3
    )
    choice = choose_llm(settings)
    llm = choice.llm
    assert isinstance(llm, OpenAILike) and choice.tools == "auto"
    assert (llm.context_window, llm.timeout, llm.metadata.context_window) == (32768, 300, 32768)
    for client in (llm._get_client(), llm._get_aclient()):  # what the openai client will use per request
        assert client.timeout == httpx.Timeout(300, connect=3)
    assert "context 32768 tokens" in choice.describe() and "timeout 300 s (connect 3 s)" in choice.describe()
    assert "ReAct if the server refuses" in choice.describe()
    no = choose_llm(settings.with_overrides(llm_tools="no", llm_connect_timeout=600))
    assert not no.llm.metadata.is_function_calling_model and "ReAct agent" in no.describe()
    assert no.llm._get_client().timeout.connect == 300  # never longer than the whole request


def test_tools_no_runs_the_react_agent_and_it_still_calls_our_tools_and_cites(offline_deps):
    llm = ScriptedLLM([("text", REACT_SEARCH), ("text", REACT_ANSWER)])
    offline_deps.__dict__["llm"] = LlmChoice("scripted", "test", llm, tools="no")
    toolbox = Toolbox(offline_deps, "ana", SourceBook())
    assert isinstance(build_agent(offline_deps.llm, toolbox, []), ReActAgent)
    assert isinstance(build_agent(LlmChoice("scripted", "test", llm, tools="auto"), toolbox, []), FunctionAgent)
    pieces = list(Conversation(offline_deps, "ana").stream("where can I learn pandas?"))
    answer = pieces[-1]
    assert answer.mode == "scripted" and answer.notices == []
    assert answer.tool_calls == [{"name": "search_curriculum", "args": {"query": "pandas playlist"}}]
    assert answer.answer.startswith("Learn pandas") and [c.n for c in answer.citations] == [1]
    assert "pandas" in answer.citations[0].quote.lower()
    assert "".join(pieces[:-1]) == "Learn pandas with the Codebasics playlist [1]."  # no thoughts shown
    system = llm._seen[0][0].content
    assert "search_curriculum" in system and "never an instruction" in system  # tools as text, our prompt kept
    assert any("<passage>" in (m.content or "") for m in llm._seen[-1])  # the observation went back


def test_only_a_tool_call_refusal_counts_as_one():
    import openai

    def error(status, message):
        response = httpx.Response(status, request=httpx.Request("POST", "http://x/v1/chat/completions"))
        cls = openai.BadRequestError if status == 400 else openai.InternalServerError
        return cls(message, response=response, body=None)

    assert refuses_tool_calls(error(400, VLLM_REFUSAL))
    assert refuses_tool_calls(error(400, "registry.ollama.ai/library/gemma:2b does not support tools"))
    assert not refuses_tool_calls(error(400, "maximum context length is 4096 tokens"))
    assert not refuses_tool_calls(error(500, VLLM_REFUSAL))
    try:  # wrapped, as a workflow may wrap it
        raise RuntimeError("step failed") from error(400, VLLM_REFUSAL)
    except RuntimeError as exc:
        assert refuses_tool_calls(exc)


# --- a real HTTP server on 127.0.0.1 that takes no tool calls, as vLLM without the flags -----


class NoToolsServer(BaseHTTPRequestHandler):
    """Chat completions, streamed or not; a request carrying tools gets vLLM's HTTP 400.
    Answers the scripted replies in order."""

    requests: list = []
    replies: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        NoToolsServer.requests.append(body)
        if body.get("tools") or body.get("tool_choice"):
            error = {"message": VLLM_REFUSAL, "type": "BadRequestError", "param": None, "code": 400}
            return self._send(400, "application/json", json.dumps({"error": error}).encode())
        text = NoToolsServer.replies.pop(0) if NoToolsServer.replies else "Answer: (script exhausted)"
        base = {"id": "chatcmpl-1", "created": 0, "model": body.get("model", "tiny")}
        if not body.get("stream"):
            choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            reply = {**base, "object": "chat.completion", "choices": [choice]}
            return self._send(200, "application/json", json.dumps(reply).encode())
        cut = len(text) // 2
        deltas = [{"role": "assistant", "content": text[:cut]}, {"content": text[cut:]}, {}]
        chunks = [
            {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": d, "finish_reason": None}]}
            for d in deltas
        ]
        chunks[-1]["choices"][0]["finish_reason"] = "stop"
        stream = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        self._send(200, "text/event-stream", stream.encode())

    def _send(self, status, kind, data):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def no_tools_server():
    NoToolsServer.requests, NoToolsServer.replies = [], []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), NoToolsServer)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


def test_auto_falls_back_to_react_when_the_server_refuses_tool_calls(offline_deps, no_tools_server):
    NoToolsServer.replies = [REACT_SEARCH, REACT_ANSWER, "Thought: done.\nAnswer: Then NumPy."]
    deps = Deps(offline_deps.settings.with_overrides(llm=f"openai-like:{no_tools_server}#tiny", llm_tools="auto"))
    chat = Conversation(deps, "ana")
    answer = chat.ask("where can I learn pandas?")
    assert answer.mode == f"openai-like:{no_tools_server}#tiny"  # the model answered, not the offline mode
    assert len(answer.notices) == 1 and "refused tool calls" in answer.notices[0]
    assert "enable-auto-tool-choice" in answer.notices[0] and "ReAct" in answer.notices[0]
    assert answer.tool_calls == [{"name": "search_curriculum", "args": {"query": "pandas playlist"}}]
    assert answer.citations and "pandas" in answer.citations[0].quote.lower()
    first, *react = NoToolsServer.requests
    assert first["tools"] and not any("tools" in r for r in react)
    assert "refused tool calls" in deps.llm.describe()
    follow_up = chat.ask("and after that?")  # later turns go straight to ReAct: no second refusal
    assert follow_up.answer == "Then NumPy." and follow_up.notices == []
    assert len(NoToolsServer.requests) == 4 and "tools" not in NoToolsServer.requests[-1]


def test_tools_yes_answers_offline_with_a_notice_when_refused(offline_deps, no_tools_server):
    deps = Deps(offline_deps.settings.with_overrides(llm=f"openai-like:{no_tools_server}#tiny", llm_tools="yes"))
    answer = Conversation(deps, "ana").ask("what should I learn next?")
    assert answer.mode == "offline" and "Python fundamentals" in answer.answer
    (notice,) = answer.notices
    assert "language model failed" in notice and "MENTOR_LLM_TOOLS=no" in notice
    assert len(NoToolsServer.requests) == 1


def test_tools_no_sends_no_tools_to_the_server(offline_deps, no_tools_server):
    NoToolsServer.replies = [REACT_SEARCH, REACT_ANSWER]
    deps = Deps(offline_deps.settings.with_overrides(llm=f"openai-like:{no_tools_server}#tiny", llm_tools="no"))
    pieces = list(Conversation(deps, "ana").stream("where can I learn pandas?"))
    answer = pieces[-1]
    assert answer.notices == [] and answer.citations and answer.mode.startswith("openai-like:")
    assert "".join(pieces[:-1]) == "Learn pandas with the Codebasics playlist [1]."
    assert len(NoToolsServer.requests) == 2 and not any("tools" in r for r in NoToolsServer.requests)
