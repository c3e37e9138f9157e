"""`python -m streams` runs the `khabar` command."""

from streams.cli import main

main()
