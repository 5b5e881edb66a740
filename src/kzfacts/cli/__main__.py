"""``python -m kzfacts.cli``: the ``kzfacts`` command."""

import sys

from kzfacts.cli import main

sys.exit(main())
