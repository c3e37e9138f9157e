"""`python -m streams` runs the `khabar` command."""

from streams.cli import main

if __name__ == "__main__":  # an enrichment child process imports this module too
    main()
