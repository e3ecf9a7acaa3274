"""Deterministic demo and scale data (``alliance seed --scale small|county|state``)."""
