"""The command line and each of its commands."""

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
"""Exit statuses of every command: done; failed (bad input, problems found); bad usage."""

REPORT_FORMATS = ("text", "json")
"""`--format` of the commands that print a report (`validate`, `repair --check`): here, not in
`validate`, so that parsing the command line does not import the deck checker (0.04 s)."""
