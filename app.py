"""`make run` starts here. Until the web app exists it builds the index when missing or
stale, then opens the interactive search prompt; the work is all in `mentor.cli`."""

import sys

from mentor.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest"]) or main(["search", "--interactive"]))
