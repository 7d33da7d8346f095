"""Entry point of the frozen app: the same as the `laegna-gui` console script."""

import multiprocessing
import sys

from laegna_gui.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start the app again
    sys.exit(main())
