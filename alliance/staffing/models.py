"""Models of the staffing module."""
