"""Reusable pieces of the interface."""
