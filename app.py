"""`python app.py` serves the interviewer web UI on its embedded defaults."""

import sys

from interviewer.cli import app

if __name__ == "__main__":
    sys.exit(app(["serve", *sys.argv[1:]]))
