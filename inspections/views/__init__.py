"""Views of the inspections app, one module per record kind."""
