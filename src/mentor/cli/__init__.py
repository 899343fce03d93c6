"""The `mentor` command line: a thin front end. Each command parses its arguments, calls the
domain and prints the result; errors become a one-line message and an exit code.

- `main`: the parser, ingest, search, doctor, models, serve
- `options`: settings from flags; argument types that refuse bad values
- `learn`: topics, next, prereqs, plan, progress
- `chat`: ask and chat
- `evaluate`: eval
"""
