"""Notes per topic: what a learner wrote down about a topic, kept in the progress database and
carried in the exports (JSON, Markdown, CSV) and the JSON import.

- `tables`: the notes table (migration 006, run by `progress.py`)
- `store`: adding and reading a learner's notes, and the use cases the front ends call

Not here: the export formats themselves (`transfer.py`, `feeds.py`).
"""
