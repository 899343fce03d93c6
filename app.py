"""`make run` starts here: build the index if it is missing or stale, then serve the web app
and the HTTP API on MENTOR_HOST:MENTOR_PORT (default http://127.0.0.1:7860)."""

import sys

from mentor.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["ingest"]) or main(["serve"]))
