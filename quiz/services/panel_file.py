"""A panellist's answers as the panel screen keys them: the cards asked, each answer, the file."""

from __future__ import annotations

from quiz.storage.panel_file import Panel, answer_for, scenario_cards, write

__all__ = ["Panel", "answer_for", "scenario_cards", "write"]
