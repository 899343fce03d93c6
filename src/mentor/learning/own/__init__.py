"""Bring your own roadmap: a learner's roadmap added to the corpus, read by its own structure,
linked to the curriculum, its "Done" marks proposed, its order checked against the graph.

- `links`: items to topics (strict: exact names, or a topic's distinctive names as whole words),
  the topics its Done marks finish, where its order disagrees with the graph
- `roadmaps`: the use cases (add, list, remove), each rebuilding the index atomically

Not here: reading the layout (`mentor.corpus.outline`), storing the files (`mentor.corpus.own`).
"""
