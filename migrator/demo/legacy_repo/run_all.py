"""Run every script of this repository in order, as the nightly job does."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["list_sources.py", "provision.py", "toggle_destination.py", "tracking_plans.py", "gdpr.py",
           "filters.py", "schema_settings.py", "segment_client.py"]

failed = 0
for script in SCRIPTS:
    done = subprocess.run([sys.executable, str(HERE / script)], capture_output=True, text=True)
    print(f"== {script} (exit {done.returncode})")
    print(done.stdout, end="")
    failed += done.returncode != 0
sys.exit(1 if failed else 0)
