"""The offline mode's answers: for each intent the router finds, call the tools an LLM would
call and compose the reply from their results. `knowledge` answers about the roadmaps,
`learner` about the learner's own progress."""
