"""The pure domain: decks, SM-2, scoring and review sessions; no UI, no database, no clock."""
