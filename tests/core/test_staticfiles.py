"""The static files' storage looks each URL up once per process, and gives what WhiteNoise's gives."""

import json

from core.staticfiles import StaticFilesStorage


def manifest_storage(tmp_path) -> StaticFilesStorage:
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/app.css": "css/app.0123456789ab.css"}, "version": "1.1", "hash": "x"})
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_the_url_is_the_hashed_name_and_is_looked_up_once(tmp_path, settings, monkeypatch):
    settings.DEBUG = False
    storage = manifest_storage(tmp_path)
    calls = []
    original = storage.stored_name
    monkeypatch.setattr(storage, "stored_name", lambda name: calls.append(name) or original(name))
    assert storage.url("css/app.css") == "/static/css/app.0123456789ab.css"
    assert storage.url("css/app.css") == "/static/css/app.0123456789ab.css"
    assert calls == ["css/app.css"]


def test_debug_gives_the_plain_name_whatever_was_asked_before(tmp_path, settings):
    settings.DEBUG = False
    storage = manifest_storage(tmp_path)
    assert storage.url("css/app.css") == "/static/css/app.0123456789ab.css"
    settings.DEBUG = True
    assert storage.url("css/app.css") == "/static/css/app.css"
    settings.DEBUG = False
    assert storage.url("css/app.css") == "/static/css/app.0123456789ab.css"


def test_force_bypasses_the_memory(tmp_path, settings):
    settings.DEBUG = True
    storage = manifest_storage(tmp_path)
    assert storage.url("css/app.css", force=True) == "/static/css/app.0123456789ab.css"
    assert storage.url("css/app.css") == "/static/css/app.css"
