"""Evaluation of the real pipeline on versioned datasets (`evals/`).

- `retrieval`: hit@k and MRR of a retriever; the graph-derived golden cases
- `suite`: datasets, running every case through the pipeline, and the scores
- `report`: aggregates, the gate against the thresholds, report files and history
- `judge`: the LLM-judged ragas metrics

Not here: the `mentor eval` command line (`mentor.cli.evaluate`).
"""
