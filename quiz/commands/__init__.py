"""The command line and each of its commands."""

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
"""Exit statuses of every command: done; failed (bad input, problems found); bad usage."""
