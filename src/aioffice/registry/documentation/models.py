"""Documentation (Art. 53 and 55, Annexes XI and XII): the records. Part of the registry."""

from django.db import models  # noqa: F401
