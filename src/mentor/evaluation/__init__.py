"""Evaluation of the real pipeline on versioned datasets (`evals/`).

- `datasets`: the JSONL cases (schema, validation), reference phrases, graph-derived golden cases
- `run`: a suite run: every case through the real pipeline, scored, gated, reported
- `scoring`: the metrics of one answered case; the plan sweep; ragas' LLM-free metrics
- `statements`: the statement suite (proposals from progress statements, writes without
  confirmation) and `adversary`, the scripted model that tries to write in LLM mode
- `retrieval`: hit@k and MRR of a retriever
- `report`: aggregates, the gate against the thresholds, report files
- `history`: the history of runs and its trend table
- `judge`: the LLM-judged ragas metrics

Not here: the `mentor eval` command line (`mentor.cli.evaluate`).
"""
