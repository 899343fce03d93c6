"""The mentor you talk to: tools, citations, safety, the offline mode and the LLM agent.

- `tools`: the typed tools both modes call; their docstrings are what a model reads
- `citations`: numbered, verified citations built from retrieved passages
- `safety`: input limits and what the mentor lets itself do
- `router`: the offline mode's reading of a message (intent, topic, numbers)
- `offline/`: the offline mode's answers, composed from tool results
- `agent`: the LLM mode (llama-index agent over the same tools) and LLM backends
- `conversation`: one learner's conversation, and the registry of conversations

Not here: the graph algorithms (`mentor.learning`), search (`mentor.search`), front ends.
"""
