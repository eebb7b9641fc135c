"""The production stack as described by docker-compose.yml and the Dockerfile.

No Docker engine runs here, so these check the description: the services the README promises,
their health checks and volumes, and that they run the production profile.
"""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_stack_has_its_five_services():
    assert set(compose()["services"]) == {"db", "redis", "web", "worker", "beat"}


def test_every_long_running_service_but_beat_has_a_health_check():
    services = compose()["services"]
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name


def test_data_and_media_live_in_volumes():
    stack = compose()
    assert {"pgdata", "media"} <= set(stack["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in stack["services"]["db"]["volumes"]
    for name in ("web", "worker", "beat"):
        assert "media:/srv/media" in stack["services"][name]["volumes"], name


def test_app_services_run_the_production_profile_on_postgres_and_redis():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "mengtao.settings_production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://")
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "gunicorn mengtao.wsgi" in services["web"]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]


def test_the_image_installs_the_runtime_and_compiles_its_catalogues():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "compilemessages" in dockerfile and "collectstatic" in dockerfile
    assert "USER mengtao" in dockerfile
