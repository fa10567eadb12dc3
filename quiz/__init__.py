"""quiz: a spaced-repetition trainer for the terminal."""

__version__ = "0.1.0"
