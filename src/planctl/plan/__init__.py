"""The plan file: its model, its loader and the references into it."""
