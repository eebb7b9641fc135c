"""Blind review (campaign option): what an expert reads carries an application code instead of any
team, enterprise, union or person name — in the texts the team wrote, in the evidence list and in
the evidence files' names."""

import copy
import posixpath
import re

from django.utils.translation import gettext as _

from teams.models import Application

from .models import ReviewResult

# Names shorter than this are not searched for in the texts: a one-character name would mask common words.
SHORTEST_NAME = 2


def names_of(application: Application) -> list[str]:
    """Every name the expert must not read: the team's, its enterprise's, its union's, and the
    names of its leaders and members (two queries), longest first."""
    team = application.team
    union = team.grassroots_union
    names = {team.name, team.enterprise, union.name, union.short_name, union.enterprise}
    names.update(team.leaders.values_list("name", flat=True))
    names.update(team.members.values_list("name", flat=True))
    return sorted((n for n in names if n and len(n) >= SHORTEST_NAME), key=len, reverse=True)


def redact(text: str, names: list[str]) -> str:
    if not text or not names:
        return text
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return pattern.sub(_("[withheld]"), text)


def blind_file_name(result: ReviewResult, criterion_code: str, index: int, original: str) -> str:
    extension = posixpath.splitext(original)[1].lower()
    return f"{result.code}-{criterion_code}-{index}{extension}"


def blind_content(content: dict, *, result: ReviewResult, names: list[str]) -> dict:
    """A copy of the application's content with the names masked in every text and each evidence
    file named by the application code, the criterion and its place."""
    content = copy.deepcopy(content)
    content["summary"] = redact(content.get("summary", ""), names)
    content["account"] = redact(content.get("account", ""), names)
    for criterion in content["criteria"]:
        criterion["statement"] = redact(criterion.get("statement", ""), names)
        for index, item in enumerate(criterion["evidence"], start=1):
            item["name"] = blind_file_name(result, criterion["code"], index, item["name"])
            if item.get("ledger_entry"):
                item["ledger_entry"] = redact(item["ledger_entry"], names)
    return content
