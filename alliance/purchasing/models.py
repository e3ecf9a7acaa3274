"""Models of the purchasing module."""
