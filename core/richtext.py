"""Rich text that people type in an editor (Trix) and the public reads: cleaned with nh3 to the
tags a use allows, with no script, event handler, style or unknown attribute left; and its length
counted as a reader counts it, in characters of text, not of markup."""

import html
import re

import nh3

from .text import count_characters

# Trix writes a paragraph as <div>; stories keep <p>. nh3's output is serialised by html5ever, so a
# tag it kept without attributes is written exactly as below, and "<" in text always as "&lt;".
_BLOCK_DIV = re.compile(r"<(/?)div>")
_EMPTY_PARAGRAPH = re.compile(r"<p>(\s|<br>)*</p>")


def sanitise_html(
    value: str,
    *,
    tags: set[str],
    attributes: dict[str, set[str]] | None = None,
    url_schemes: set[str] | None = None,
    divs_as_paragraphs: bool = False,
) -> str:
    """`value` with only `tags` (and their `attributes`) left; a removed tag's text stays, a script's
    or a style's goes with it. With `divs_as_paragraphs`, the editor's <div> blocks become <p>."""
    options = {
        "attributes": attributes or {},
        "url_schemes": url_schemes or {"http", "https", "mailto"},
        "link_rel": "noopener noreferrer" if "a" in tags else None,
    }
    if divs_as_paragraphs:
        kept = nh3.clean(value or "", tags={*tags, "div"}, **{**options, "attributes": {}})
        # Once more with the tags allowed: nested blocks come out as a valid sequence of paragraphs.
        value = _BLOCK_DIV.sub(lambda match: f"<{match.group(1)}p>", kept)
        cleaned = nh3.clean(value, tags=tags, **options)
        return _EMPTY_PARAGRAPH.sub("", cleaned).strip()
    return nh3.clean(value or "", tags=tags, **options).strip()


def text_of(value: str) -> str:
    """The words of an HTML fragment, without its markup."""
    return html.unescape(nh3.clean(value or "", tags=set())).strip()


def count_text_characters(value: str) -> int:
    return count_characters(text_of(value))
