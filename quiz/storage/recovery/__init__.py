"""Recovery: mending a damaged log from the copies on disk, and the answers a restore keeps."""
