"""An OpenAI-compatible LLM server (Ollama, vLLM, llama.cpp, OpenAI): the options servers differ on.

- **Tool calls** (`MENTOR_LLM_TOOLS`):
  - `yes`: the model is driven with native tool calls (llama-index's FunctionAgent);
  - `no`: with the ReAct agent, which writes its tool calls as text and needs nothing from the
    server but chat completions;
  - `auto` (default): native tool calls first; when the server refuses them (an HTTP 400 naming
    tool calls: vLLM started without `--enable-auto-tool-choice --tool-call-parser …`, an Ollama
    model without tool support), that turn is run again with the ReAct agent, with a notice, and
    the process keeps to ReAct from then on.
  `auto` does not ask the server beforehand: the OpenAI protocol has no field saying whether tool
  calls are accepted (vLLM's `/v1/models` does not tell, Ollama says so only in its own
  `/api/show`), and a test request would cost a generation at start-up. The refusal itself is
  cheap, comes before any tool runs, and is unambiguous.
- **Context window** (`MENTOR_LLM_CONTEXT`, default 8192 tokens): what llama-index budgets the
  chat memory with. Set it to what the server really gives the model (Ollama:
  `OLLAMA_CONTEXT_LENGTH`, whose default depends on the GPU's memory; vLLM: `--max-model-len`).
- **Timeouts**: `MENTOR_LLM_TIMEOUT` bounds each request (and each wait between streamed
  pieces); `MENTOR_LLM_CONNECT_TIMEOUT` bounds connecting, so a server that is gone is noticed
  quickly even when answers are allowed to take long.

Not here: choosing the backend and running the agent (`agent.py`).
"""

from __future__ import annotations

import functools

from mentor.config import Settings

# What servers answer (HTTP 400) when asked for tool calls they cannot make:
REFUSALS = (
    "enable-auto-tool-choice",  # vLLM: "auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser …
    "does not support tools",  # Ollama: "<model> does not support tools"
)

AGENT_MODES = {
    "yes": "tool calls",
    "auto": "tool calls, ReAct if the server refuses them",
    "no": "ReAct agent",
    "refused": "ReAct agent: the server refused tool calls",
}


def server_llm(base: str, model: str, settings: Settings):
    """The llama-index LLM for an OpenAI-compatible server, with the settings' options."""
    cls = _server_llm_class()
    return cls(
        model=model,
        api_base=base,
        api_key=settings.llm_api_key or "not-needed",
        is_chat_model=True,
        is_function_calling_model=settings.llm_tools != "no",
        context_window=settings.llm_context,
        timeout=settings.llm_timeout,
        connect_timeout=min(settings.llm_connect_timeout, settings.llm_timeout),
        max_retries=0,
        temperature=0.1,
    )


def options_text(settings: Settings) -> str:
    """The options as shown to people (mode banner, /api/health)."""
    return (
        f"context {settings.llm_context} tokens, timeout {settings.llm_timeout:g} s "
        f"(connect {min(settings.llm_connect_timeout, settings.llm_timeout):g} s)"
    )


def refuses_tool_calls(exc: BaseException | None) -> bool:
    """Whether a failed request was the server refusing tool calls: an HTTP 400 whose message
    is one of REFUSALS, looked for along the exception's causes (llama-index may wrap it)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(exc, "status_code", None) == 400 and any(r in str(exc) for r in REFUSALS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@functools.cache
def _server_llm_class():
    """OpenAILike with a connect timeout of its own (llama-index gives the client one number
    for every phase). Built on first use: llama-index is heavy and only the LLM mode needs it."""
    import httpx
    from llama_index.core.bridge.pydantic import Field
    from llama_index.llms.openai_like import OpenAILike

    class ServerLLM(OpenAILike):
        connect_timeout: float = Field(default=10.0, gt=0, description="seconds to connect to the server")

        def _get_credential_kwargs(self, is_async: bool = False) -> dict:
            kwargs = super()._get_credential_kwargs(is_async)
            return {**kwargs, "timeout": httpx.Timeout(self.timeout, connect=self.connect_timeout)}

    return ServerLLM
