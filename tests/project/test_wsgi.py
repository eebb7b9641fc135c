"""The WSGI entry point: the application, with the URLconf loaded and the cycle collector tuned."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import mengtao.wsgi as wsgi
print(json.dumps({
    "callable": callable(wsgi.application),
    "urlconf_loaded": "mengtao.urls" in sys.modules,
    "frozen": gc.get_freeze_count(),
    "threshold": gc.get_threshold(),
}))
"""


def test_the_entry_point_loads_the_urlconf_and_freezes_what_it_loaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mengtao.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["callable"] and found["urlconf_loaded"]
    # Django, the project's models and views: far more than a bare interpreter's few thousand objects.
    assert found["frozen"] > 100_000
    assert found["threshold"] == [7000, 10, 10]
