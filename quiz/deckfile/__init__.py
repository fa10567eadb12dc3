"""Deck files: reading, checking and positioning problems in the JSON a teacher wrote."""
