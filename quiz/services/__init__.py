"""What one run of quiz works with: its context, its decks, and its statistics in words."""
