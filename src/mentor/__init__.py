"""mentor: a learning mentor for would-be machine-learning engineers.

The base package imports only light modules; torch, transformers, sentence-transformers,
gradio and ragas are imported inside the functions that need them.
"""

__version__ = "0.1.0"
