"""The static files' storage: WhiteNoise's compressed, hashed files, with each file's URL looked up
once per process.

`{% static %}` asks the storage for a URL on every use, and the manifest storage answers by joining
and quoting the hashed name anew each time (about 30 µs): the layout alone names nine files, so every
page paid a quarter of a millisecond for links that cannot change while the process runs — the
manifest is read once at start-up, and `collectstatic` is followed by a restart.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        # DEBUG changes the answer (unhashed names), and the tests switch it at run time.
        key = (name, settings.DEBUG)
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = super().url(name)
        return url
