"""`python -m storylint` runs the command-line interface."""
import sys

from storylint.cli import main

sys.exit(main())
