"""The cooperation models, one module per part (authorities, bodies, exchange, sandboxes,
database, international)."""

from aioffice.cooperation.models_authorities import Authority

__all__ = ["Authority"]
