"""``python -m kzfacts``: the ``kzfacts`` command."""

import sys

from kzfacts.cli import main

sys.exit(main())
