"""Where the stages above teams add to the application's pages without teams importing them.

A stage registers, from its AppConfig.ready(), a function per hook; the application's views call
every registered function.

- `detail_panels`: (request, application, is_leader=...) -> HTML or "" for the application's page
  (`is_leader`: whether the reader leads the team, as the page decided);
- `printed_opinions`: (application) -> the opinion boxes of the printed form, as `OpinionBox` items
  from the lowest level up, or None when the stage has nothing to say."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest


@dataclass(frozen=True)
class OpinionBox:
    label: str
    unit: str = ""
    opinion: str = ""
    decided_at: datetime | None = None


detail_panels: list[Callable[..., str]] = []
printed_opinions: list[Callable[[object], list[OpinionBox] | None]] = []


def panels_for(request: HttpRequest, application, *, is_leader: bool) -> list[str]:
    return [html for panel in detail_panels if (html := panel(request, application, is_leader=is_leader))]


def opinion_boxes_for(application) -> list[OpinionBox] | None:
    for provider in printed_opinions:
        boxes = provider(application)
        if boxes is not None:
            return boxes
    return None
