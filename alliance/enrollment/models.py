"""Models of the enrollment module."""
