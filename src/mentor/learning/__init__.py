"""What a learner learns and in which order, and what they have done.

- `curriculum`: the prerequisite graph of topics reconciled across the roadmaps: hard edges,
  soft edges (ordering hints) and the backbone (the dependency-correct roadmap's steps)
- `validation`: the graph checked against the roadmaps (quotes verbatim, acyclic, hard edges cited)
- `order`: the order to learn topics in, shared by next steps and plans
- `progress`: the per-learner append-only event log (SQLAlchemy), with undo and profiles
- `proposals`: changes chat proposed, waiting for the learner's confirmation (single-use, expiring)
- `plan`: graph algorithms: next steps, prerequisite chains, week-by-week plans and their check
- `transfer`: progress in and out of files (marked-up roadmaps, JSON, Markdown)
- `actions`: the use cases every front end calls (next steps, prerequisites, set a status,
  undo, answer a proposal, a study plan, progress reports), returning typed results with `to_dict()`
- `exports`: a study plan as Markdown and as iCalendar
- `notes`: notes per topic (migration 006), in the exports and the JSON import
- `pace`: the learner's own pace, from "learning" to "done", once enough topics are finished
- `feeds`: progress as CSV and the due reviews as an iCalendar feed
- `own`: a learner's own roadmap linked to the curriculum, its Done marks proposed

Not here: any front end, any model. The use cases take the `Deps` collaborator bag and read
only the curriculum, passages, resources, progress store and proposals from it.
"""
