"""The web front ends on one server. They translate requests into calls of
`mentor.learning.actions` (and the learner's conversation) and typed results into JSON or page
components, and hold no domain logic.

- `api`: the HTTP API (FastAPI routes, request models, error answers)
- `ui`: the Gradio page (event handlers and layout)
- `server`: mounts both on one app and runs it
- `auth`: MENTOR_AUTH accounts, the learner a request acts for, each learner's files to them only
- `asgi`: JSON error replies and the request-body limit, shared by the API and the middlewares
- `downloads`: where the page writes a learner's files (one folder each)
- `graph`: the curriculum graph picture
"""
