"""Entry point of the frozen app: the same as the `laegna-gui` console script."""

import multiprocessing
import sys

from laegna_gui.cli import main


def run_code(code: str) -> None:
    """`laegna -c CODE`: in the frozen app sys.executable is this program, and the bench's
    start-up probe spawns `sys.executable -c ...` like it would spawn Python."""
    sys.argv = ["-c"]
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start the app again
    if len(sys.argv) == 3 and sys.argv[1] == "-c":
        run_code(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
