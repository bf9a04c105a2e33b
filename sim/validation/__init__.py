"""Validation: docking with published models, verification and validation patterns, screening."""
