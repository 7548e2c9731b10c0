"""Demo data files and their loaders (DEBUG-mode demo only; see `aioffice.demo`)."""
