"""What one run of quiz works with, and the one way the app reaches the disk and deck files.

The app (quiz.ui) imports nothing from quiz.storage or quiz.deckfile: what it needs of them
(the clock, settings, panel files, a deck file for a preview) it takes from here, so the
app's needs of the layers below are listed in one place (an import-linter contract).
"""
