"""Compliance monitoring: aiact's obligations for each model version against the evidence the
registry holds (a package, not a Django app: it has no models). See
docs/design/compliance-monitoring.md."""
