"""Capability evaluations: the pages, for AI Office staff."""
