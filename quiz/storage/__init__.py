"""Storage: files on disk, written so that a crash, a full disk or another system loses nothing."""
