"""The web front ends on one server: the HTTP API (`api`), the Gradio page (`ui`) and the
server that mounts both and decides who may use them (`server`). They translate requests
into domain calls and results into JSON or page components, and hold no domain logic."""
