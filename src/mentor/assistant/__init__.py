"""The mentor you talk to: tools, citations, safety, the offline mode and the LLM agent.

- `tools`: the typed tools both modes call (the LLM agent is given exactly `Toolbox.NAMES`);
  their docstrings are what a model reads
- `citations`: numbered, verified citations built from retrieved passages
- `safety`: input limits and the write guards (what a learner's message must say before a tool
  records progress, undoes it or remembers a profile)
- `topics`: which curriculum topic a piece of a learner's text names
- `router`: the offline mode's reading of a message (intent, topic, numbers)
- `offline/`: the offline mode's answers, composed from tool results (`compose` is the entry)
- `agent`: the LLM mode (llama-index agent over the same tools) and LLM backends
- `conversation`: one learner's conversation, and the registry of conversations

Imports go one way: conversation -> offline, agent -> tools -> safety, citations, topics.

Not here: the use cases and graph algorithms (`mentor.learning`), search (`mentor.search`),
front ends (`mentor.cli`, `mentor.web`).
"""
