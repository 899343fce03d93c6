"""The corpus: the five roadmaps and what is read out of them.

- `documents`: load the roadmaps listed in `corpus/sources.yaml` and repair their encoding
- `chunks`: cut each roadmap into passages by its own structure
- `outline`: a learner's own roadmap read by its structure, whatever its layout, and its Done marks
- `own`: the roadmaps learners added, kept in MENTOR_HOME beside the read-only built-in five
- `resources`: every linked URL as a record and a passage of its own
- `fetch`: `mentor ingest --fetch-links`, the linked pages downloaded safely into a cache

Not here: indexing and search (`mentor.search`), the curriculum graph (`mentor.learning`).
"""
