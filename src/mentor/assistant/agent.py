"""The LLM mode: a llama-index agent over the mentor's tools, on the backend MENTOR_LLM names.

Backends:
- `openai-like:<base url>[#model]`: any OpenAI-compatible server (Ollama, vLLM, llama.cpp,
  OpenAI), key from MENTOR_LLM_API_KEY; driven by llama-index's FunctionAgent (tool calling),
  or by its ReActAgent where the server takes no tool calls (MENTOR_LLM_TOOLS; the options
  servers differ on are in `llm_server.py`).
- `transformers:<model id or path>`: a local chat model, weights only from local files; driven
  by llama-index's ReActAgent, which needs no native tool calling.
- `none`: no LLM, the deterministic offline mode.
- `auto` (default): a local transformers model if the default one is on this machine, else an
  Ollama server answering on 127.0.0.1:11434, else `none`; the choice and reason are reported.

A model's final text goes through the same citation checks as offline answers. If the model
fails (server down, unusable output), the turn is answered in offline mode with a notice.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import queue
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any, Iterator

from mentor.assistant.llm_server import AGENT_MODES, options_text, refuses_tool_calls, server_llm
from mentor.config import Settings
from mentor.errors import AgentFailed, ConfigError, ToolCallsRefused
from mentor.models import local_model_path

DEFAULT_LLM_MODEL = "Qwen/Qwen2.5-0.5B-Instruct"
OLLAMA_URL = "http://127.0.0.1:11434/v1"


@dataclass
class LlmChoice:
    spec: str  # "none" | "openai-like:<url>#<model>" | "transformers:<ref>"
    reason: str
    llm: Any = None  # a llama-index LLM, None in offline mode
    # how the agent drives the model: "yes" (native tool calls, when the LLM says it can), "no"
    # (ReAct), "auto" (tool calls until the server refuses them), "refused" (ReAct since then)
    tools: str = "yes"
    options: str = ""  # the backend's options, as shown to people

    @property
    def mode(self) -> str:
        return "offline" if self.llm is None else self.spec

    def describe(self) -> str:
        if self.llm is None:
            return "offline mode, no language model"
        return f"LLM: {self.spec} ({', '.join(filter(None, [AGENT_MODES[self.tools], self.options]))})"

    @property
    def uses_tool_calls(self) -> bool:
        return self.tools in ("yes", "auto") and bool(self.llm.metadata.is_function_calling_model)


def render_prompt(name: str, **values: str) -> str:
    """A prompt from package data; unknown or missing names fail loudly."""
    text = resources.files("mentor.assistant").joinpath("prompts", name).read_text(encoding="utf-8")
    return Template(text).substitute(**values)


def choose_llm(settings: Settings) -> LlmChoice:
    spec = settings.llm.strip()
    if spec == "none":
        return LlmChoice("none", "MENTOR_LLM=none")
    if spec == "auto":
        return _auto(settings)
    if spec.startswith("openai-like:"):
        return _openai_like(spec[len("openai-like:") :], settings, f"MENTOR_LLM={spec}")
    if spec.startswith("transformers:"):
        return _transformers(spec[len("transformers:") :], settings, f"MENTOR_LLM={spec}")
    raise ConfigError(
        f"unknown LLM backend {spec!r}: use auto, none, openai-like:<url>[#model] or transformers:<id or path>"
    )


def _auto(settings: Settings) -> LlmChoice:
    if local_model_path(DEFAULT_LLM_MODEL, settings.models_dir, settings.hf_cache):
        return _transformers(DEFAULT_LLM_MODEL, settings, f"auto: {DEFAULT_LLM_MODEL} found locally")
    model = _ollama_model()
    if model:
        return _openai_like(f"{OLLAMA_URL}#{model}", settings, f"auto: Ollama is running with {model}")
    return LlmChoice("none", "auto: no local model weights and no Ollama server, so offline mode")


def _ollama_model() -> str | None:
    """The first model of an Ollama server on this machine, if one answers within 0.3 s."""
    try:
        with urllib.request.urlopen(f"{OLLAMA_URL}/models", timeout=0.3) as resp:
            models = json.loads(resp.read()).get("data") or []
        return models[0]["id"] if models else None
    except (OSError, ValueError, KeyError):
        return None


def _openai_like(target: str, settings: Settings, reason: str) -> LlmChoice:
    base, _, model = target.partition("#")
    if not base.startswith(("http://", "https://")):
        raise ConfigError(f"openai-like needs an http(s) base URL, got {base!r}")
    llm = server_llm(base, model or "default", settings)
    spec = f"openai-like:{_without_credentials(base)}#{model or 'default'}"
    return LlmChoice(spec, reason, llm, tools=settings.llm_tools, options=options_text(settings))


def _without_credentials(url: str) -> str:
    """The URL as shown to people (mode banner, /api/health, reports): no user:password@."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _transformers(ref: str, settings: Settings, reason: str) -> LlmChoice:
    path = local_model_path(ref, settings.models_dir, settings.hf_cache)
    if path is None:
        raise ConfigError(
            f"no local weights for {ref!r}: run `mentor models pull {ref}` while online, "
            "or use MENTOR_LLM=none for the offline mode"
        )
    # imported here: llama-index (and the backend's client) is heavy and only the LLM mode needs it
    from llama_index.llms.huggingface import HuggingFaceLLM

    try:
        llm = _huggingface_llm(HuggingFaceLLM, path)
    except (OSError, ValueError) as exc:  # a folder that is not a causal LM's (no config, no weights)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ConfigError(f"MENTOR_LLM: {path} holds no usable transformers model ({first})") from None
    return LlmChoice(f"transformers:{ref}", reason, llm, tools="no")


def _huggingface_llm(cls, path):
    return cls(
        model_name=str(path),
        tokenizer_name=str(path),
        context_window=4096,
        max_new_tokens=384,
        device_map="cpu",
        is_chat_model=True,
        generate_kwargs={"do_sample": False},
        model_kwargs={"local_files_only": True},
        tokenizer_kwargs={"local_files_only": True},
    )


# --- running the agent ----------------------------------------------------------------------


def llama_tools(toolbox, bugs: list) -> list:
    """The toolbox's tools as llama-index FunctionTools (same names, signatures, docstrings).
    llama-index shows whatever a tool raises to the model as an error; an exception from our
    tools is a bug of ours, so it is also kept in `bugs` for `run_agent` to raise."""
    # imported here: llama-index is heavy and only the LLM mode needs it
    from llama_index.core.tools import FunctionTool

    return [
        FunctionTool.from_defaults(
            fn=_tool_function(toolbox, name, bugs), name=name, description=inspect.getdoc(getattr(toolbox, name))
        )
        for name in toolbox.NAMES
    ]


def _tool_function(toolbox, name: str, bugs: list):
    """A plain function calling one tool through `Toolbox.run`, with the tool's signature."""
    method = getattr(toolbox, name)

    def call(**kwargs):
        try:
            return toolbox.run(name, **kwargs).text
        except Exception as exc:  # not swallowed: raised again by run_agent once the run stops
            bugs.append(exc)
            raise

    call.__signature__ = inspect.signature(method, eval_str=True).replace(return_annotation=str)
    call.__name__ = name
    call.__doc__ = inspect.getdoc(method)
    return call


@dataclass
class Final:
    text: str


@dataclass
class Notice:
    """Something the learner should know about how the turn was answered."""

    text: str


def build_agent(choice: LlmChoice, toolbox, bugs: list):
    # imported here: llama-index is heavy and only the LLM mode needs it
    from llama_index.core.agent.workflow import FunctionAgent, ReActAgent

    prompt = render_prompt("system.txt", learner=toolbox.learner)
    cls = FunctionAgent if choice.uses_tool_calls else ReActAgent
    return cls(tools=llama_tools(toolbox, bugs), llm=choice.llm, system_prompt=prompt, streaming=True)


def run_agent(
    choice: LlmChoice, toolbox, history: list[tuple[str, str]], message: str
) -> Iterator[str | Notice | Final]:
    """Run one turn; yields text deltas as the model produces them, then `Final`. Raises
    AgentFailed when the model fails, and the tool's own exception when a tool raised (a bug).
    A server that refuses tool calls under MENTOR_LLM_TOOLS=auto: the turn runs again with the
    ReAct agent (a `Notice` says so), and so do the later turns of this process."""
    try:
        yield from _run_turn(choice, toolbox, history, message)
    except ToolCallsRefused as exc:
        if choice.tools not in ("auto", "refused") or toolbox.calls:  # "refused": another turn switched first
            raise
        choice.tools = "refused"
        yield Notice(f"the LLM server refused tool calls ({exc}); answered with the ReAct agent instead")
        yield from _run_turn(choice, toolbox, history, message)


def _run_turn(choice: LlmChoice, toolbox, history: list[tuple[str, str]], message: str) -> Iterator[str | Final]:
    bugs: list[Exception] = []
    events = _start(build_agent(choice, toolbox, bugs), history, message, bugs)
    while True:
        kind, value = events.get()
        if bugs:
            raise bugs[0]
        if kind == "delta":
            yield value
        elif kind == "final":
            yield Final(value)
        elif kind == "error" and refuses_tool_calls(value):
            raise ToolCallsRefused(_refusal(choice, value)) from value
        elif kind == "error":
            raise AgentFailed(f"{type(value).__name__}: {str(value)[:200]}") from value
        else:
            return


def _refusal(choice: LlmChoice, exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {str(exc)[:200]}"
    if choice.tools in ("auto", "refused"):
        return text
    return text + "; start the server with tool calls enabled or set MENTOR_LLM_TOOLS=no (or auto)"


def _start(agent, history: list[tuple[str, str]], message: str, bugs: list) -> queue.Queue:
    """Run the agent in a thread of its own; its events arrive on the returned queue as
    ("delta", text), ("final", text), ("error", exception) and ("end", None) last."""
    # imported here: llama-index is heavy and only the LLM mode needs it
    from llama_index.core.agent.workflow import AgentInput, AgentStream, ReActAgent
    from llama_index.core.llms import ChatMessage

    chat_history = [ChatMessage(role=role, content=text) for role, text in history]
    events: queue.Queue = queue.Queue()
    shown = _Shown(react=isinstance(agent, ReActAgent))

    async def main():
        handler = agent.run(user_msg=message, chat_history=chat_history)
        async for ev in handler.stream_events():
            if bugs:  # a tool raised: stop here, run_agent raises it
                await handler.cancel_run()
                return
            if isinstance(ev, AgentInput):
                shown.sent = 0  # a new step: a new model reply
            if isinstance(ev, AgentStream) and ev.delta and not ev.tool_calls and (delta := shown.delta(ev)):
                events.put(("delta", delta))
        result = await handler
        events.put(("final", str(result.response.content or "")))

    def worker():
        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller thread, which re-raises our bugs
            events.put(("error", exc))
        events.put(("end", None))

    threading.Thread(target=worker, daemon=True).start()
    return events


class _Shown:
    """What of a step's streamed text the learner sees: all of it from a tool-calling agent;
    from a ReAct agent only what follows "Answer:" (its thoughts and actions are for itself)."""

    def __init__(self, react: bool):
        self.react, self.sent = react, 0

    def delta(self, ev) -> str:
        if not self.react:
            return ev.delta
        at = (ev.response or "").find("Answer:")
        if at < 0:
            return ""
        answer = ev.response[at + len("Answer:") :].lstrip()
        piece, self.sent = answer[self.sent :], len(answer)
        return piece
