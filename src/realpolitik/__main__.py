"""``python -m realpolitik`` runs the command line."""

from realpolitik.cli import main

if __name__ == "__main__":
    main()
