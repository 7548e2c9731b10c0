"""Cooperation: the Member States' authorities, the AI Board and the advisory bodies,
information exchange, regulatory sandboxes and real-world testing, the EU database for
high-risk AI systems, and international partners (AI-ACT.md §12, Art. 75 in §9.3)."""
