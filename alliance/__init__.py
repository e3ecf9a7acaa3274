"""Alliance: software for an Early Childhood Shared Services Alliance."""

__version__ = "0.1.0"
