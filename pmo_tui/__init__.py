"""pmo: run a PMO's portfolio steering and review meetings from the terminal."""

__version__ = "0.1.0"
