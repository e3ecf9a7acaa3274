"""Models of the substitutes module."""
