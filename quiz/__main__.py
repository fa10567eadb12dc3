"""`python -m quiz` runs the command line."""

from quiz.commands.cli import main

raise SystemExit(main())
