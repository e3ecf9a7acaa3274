"""Models of the community module."""
