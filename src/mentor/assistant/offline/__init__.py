"""The offline mode: for each intent the router finds, call the tools an LLM would call (through
`Toolbox.run`, so the recorded calls are what ran) and compose the reply from their results.

- `draft`: the `Draft` a handler returns, the conversation's `Memory`, the topic of a message
- `knowledge`: answers about the roadmaps (next steps, prerequisites, plans, resources, concepts)
- `learner`: answers about the learner (progress, undo, profile)
- `compose`: the entry point, which picks the handler for an intent

Not here: reading the message (`mentor.assistant.router`), the tools (`mentor.assistant.tools`).
"""
