"""`python -m mentor.cli`: the same as the `mentor` command."""

import sys

from mentor.cli.main import main

sys.exit(main())
