"""Search over the corpus: embeddings, BM25, the built index and hybrid retrieval.

- `embed`: embedding backends (weights-free LSA, sentence-transformers) and the choice between them
- `lexical`: query clean-up, abbreviations, typo repair and the BM25 index
- `topics`: the topic bridge, curriculum topics a query names, carrying a learner's words to the roadmaps'
- `builds`: a build on disk: the active link, manifest and checksums, readers' leases, removal
- `index`: building a versioned index (Chroma + BM25 + manifest), opening it, checking it
- `retrieve`: hybrid retrieval with calibrated fusion and optional reranking; a retriever that follows new builds

Not here: what the passages are (`mentor.corpus`), how answers use them (`mentor.assistant`).
"""
