"""What `rsqm serve` runs: the same dashboard as the repository's app.py."""

from rsqm.ui.main import run

run()
