"""The offline mode: for each intent the router finds, call the tools an LLM would call (through
`Toolbox.run`, so the recorded calls are what ran) and compose the reply from their results.

- `draft`: the `Draft` a handler returns, the conversation's `Memory`, the topic of a message
- `knowledge`: answers about the roadmaps (next steps, prerequisites, plans, concepts, search)
- `shapes`: answers shaped by the question (decisions, comparisons, disagreements, order) and
  the helpers that gather and quote passage lines
- `sections`: answers read from the roadmaps' own sections (which ones, how long, a section)
- `resources`: resources for a topic, and requests for a kind of resource
- `learner`: answers about the learner (progress, undo, profile)
- `compose`: the entry point, which picks the handler for an intent

Not here: reading the message (`mentor.assistant.router`), the tools (`mentor.assistant.tools`).
"""
