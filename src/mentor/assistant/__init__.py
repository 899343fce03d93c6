"""The mentor you talk to: tools, citations, safety, the offline mode and the LLM agent.

- `tools`: the typed tools both modes call (the LLM agent is given exactly `Toolbox.NAMES`);
  their docstrings are what a model reads
- `citations`: numbered, verified citations built from retrieved passages
- `statements`: reading what a learner says about their own progress (and asks to undo):
  normalised text, their own words only, clause by clause; the result is only ever proposed
- `safety`: input limits and the profile guard (what a learner's message must state before a
  profile change is proposed)
- `topics`: which curriculum topic a piece of a learner's text names
- `router`: the offline mode's reading of a message (intent, topic, numbers)
- `offline/`: the offline mode's answers, composed from tool results (`compose` is the entry)
- `agent`: the LLM mode (llama-index agent over the same tools) and LLM backends
- `conversation`: one learner's conversation, and the registry of conversations

Imports go one way: conversation -> offline, agent -> tools -> statements, safety, citations,
topics. Nothing here writes a learner's data: the tools propose, the learner confirms.

Not here: the use cases and graph algorithms (`mentor.learning`), search (`mentor.search`),
front ends (`mentor.cli`, `mentor.web`).
"""
