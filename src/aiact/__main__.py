"""``python -m aiact``: the ``aioffice rules`` command on its own."""

import sys

from aiact._cli import main

sys.exit(main())
