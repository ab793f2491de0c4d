"""Run the scripts of this repository in order, as the nightly job does (or only those named); a
notebook's code cells run in one namespace, top to bottom, its IPython lines left out."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["workspace_info.py", "list_sources.py", "source_report.py", "catalog_browse.py", "provision.py",
           "toggle_destination.py", "disable_destination.py", "audit_destinations.py", "tracking_plans.py",
           "gdpr.py", "regulate.py", "filters.py", "schema_settings.py", "segment_client.py", "rename_plan.py",
           "source_destinations.py", "kit_report.py", "configured_audit.py",
           "session_audit.py", "connection_map.py", "inventory_report.py", "source_labels.py", "destination_health.py",
           "weekly_digest.py", "plan_digest.py", "weekly_review.ipynb"]
CELLS = """import json, sys
namespace = {}
for cell in json.load(open(sys.argv[1]))["cells"]:
    if cell["cell_type"] == "code":
        code = "".join(cell["source"]).splitlines()
        exec("\\n".join(line for line in code if not line.lstrip().startswith(("%", "!"))), namespace)
"""

failed = 0
for script in sys.argv[1:] or SCRIPTS:
    command = ["-c", CELLS] if script.endswith(".ipynb") else []
    done = subprocess.run([sys.executable, *command, str(HERE / script)], capture_output=True, text=True)
    print(f"== {script} (exit {done.returncode})")
    print(done.stdout, end="")
    failed += done.returncode != 0
sys.exit(1 if failed else 0)
