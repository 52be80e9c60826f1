"""`python -m gongwen.cli …` is the `gongwen` command."""

import sys

from . import main

sys.exit(main())
