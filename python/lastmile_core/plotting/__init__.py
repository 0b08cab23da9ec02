"""Plots (matplotlib, imported lazily inside each function)."""
