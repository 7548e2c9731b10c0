"""Supervision and enforcement of the GPAI rules (AI Act Arts 88-94, 101): intake,
triage, cases and their procedural steps, evidence, and the one clock of deadlines."""
