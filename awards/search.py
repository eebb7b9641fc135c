"""The registry's (名录) search text: what a visitor may type to find a named team — any part of its
name or enterprise, in characters, in pinyin or in pinyin initials ("zmt" finds 赵梦桃小组)."""

from pypinyin import Style, lazy_pinyin


def _letters(text: str, style: Style) -> str:
    return "".join(lazy_pinyin(text, style=style)).lower().replace(" ", "")


def search_text(*names: str) -> str:
    """Lower-case, one line per form: the names, their pinyin, their initials."""
    parts = []
    for name in names:
        if name:
            parts += ["".join(name.lower().split()), _letters(name, Style.NORMAL), _letters(name, Style.FIRST_LETTER)]
    return "\n".join(parts)


def search_query(text: str) -> str:
    """What is matched against `search_text`: the query lower-cased, without spaces (pinyin is typed
    with or without them)."""
    return "".join(text.lower().split())
