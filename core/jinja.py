"""The Jinja2 environment of the project's second template engine, for the rows of the busiest lists.

Django's template language resolves every variable through a chain of lookups and wraps every node
in its own render call; a list of fifty rows of six or seven cells spent most of its page's time
there. Jinja2 compiles a template to Python, and the same rows render in about half the time. The
pages themselves, with the layout, forms and everything else, stay in Django's template language:
a row loop moves to `templates/jinja2/`, under its page's name, and the page includes it with
`{% jinja "…" name=value %}` (core.templatetags.fragments), passing what the rows need.

A fragment writes user-facing words as `{{ _("…") }}`, or `{{ _("… %(name)s …")|format(name=…) }}`
when a value goes in: that is the form `makemessages` finds in a template (it reads these files as
Django templates), and the message ids are the same as those of `{% translate %}` and
`{% blocktranslate %}`, so both engines share one catalogue. `_` is Django's gettext itself (Jinja2's
old-style callables): it returns the plain translation, which `format` fills in and Jinja2 escapes.
Escaping is on, as in Django's templates, and respects Django's safe strings (they carry `__html__`).
Missing values print as nothing, as they do in Django's templates.
"""

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext, ngettext
from jinja2 import Environment, pass_eval_context

from core.templatetags.times import day, iso, minute, second
from core.urls import reverse_fast

TIMES = {"minute": minute, "second": second, "day": day, "iso": iso}


def url(name: str, *args) -> str:
    """`url("teams:detail", team.pk)`, as `{% url %}` gives it: ids take the fast path (core.urls)."""
    if all(type(arg) is int for arg in args):
        return reverse_fast(name, *args)
    return reverse(name, args=args)


def in_current_zone(show):
    """A time filter (core.templatetags.times) that asks for the current zone once per rendering."""

    @pass_eval_context
    def shown(eval_context, value) -> str:
        zone = eval_context.__dict__.get("zone")
        if zone is None:
            zone = eval_context.zone = timezone.get_current_timezone()
        return show(value, zone)

    return shown


def other_languages() -> list[tuple[str, str]]:
    """The languages a page may switch to, each as (code, its name in itself): all but the current."""
    current = get_language()
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES if code != current]


def environment(**options) -> Environment:
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(**options)
    # Django's own gettext: the active language of the request, the project's catalogue.
    env.install_gettext_callables(gettext, ngettext)
    env.filters.update({name: in_current_zone(show) for name, show in TIMES.items()}, linebreaksbr=linebreaksbr)
    env.globals.update(url=url, other_languages=other_languages)
    return env
