"""Models of the training module."""
