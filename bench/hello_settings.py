"""The production settings with the ceiling's one-view URLconf (bench/hello.py)."""

from mengtao.settings_production import *  # noqa: F403

ROOT_URLCONF = "bench.hello"
