"""The project phase: between discovery and the per-file migration (`plan.py`, `index.py`)."""
