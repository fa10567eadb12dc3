"""Anki's file formats: packages (.apkg) read and written, text exports read, HTML reduced."""
