import sys

from laegna_gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
