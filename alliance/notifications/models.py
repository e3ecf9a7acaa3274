"""Models of the notifications module."""
