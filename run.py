"""`python run.py` is the same as `quiz`."""

from quiz.commands.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
