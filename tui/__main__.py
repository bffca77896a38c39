"""`python -m tui` runs the same command line as the `claimdesk` script."""

from tui.cli import main

if __name__ == "__main__":
    main()
