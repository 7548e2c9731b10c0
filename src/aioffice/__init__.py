"""aioffice: the work of the European AI Office in software."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aioffice")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
