"""In Chromium at a phone's width (375 × 800): with the demo loaded, the home page of every demo account,
the list pages and the application pages are never wider than the screen. Tables scroll inside their own
.table-responsive box; buttons, badges and table headings keep their label on one line instead of being
squeezed into a column of single characters. Every page is saved as a screenshot in test-artifacts/phone/."""

import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from campaigns.models import Campaign
from reviews.models import Recommendation
from teams.models import Application, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}

# Elements that must show their label on one line, and how many lines each one actually takes.
LINES_OF_LABELS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('.btn, .badge, th')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;  // hidden: the collapsed menu, a closed dropdown
    const style = getComputedStyle(el);
    const fontSize = parseFloat(style.fontSize);
    const lineHeight = style.lineHeight === 'normal' ? 1.2 * fontSize : parseFloat(style.lineHeight);
    const inner = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
      - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
    const lines = inner / lineHeight;
    if (lines > 1.5) {
      found.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim()}": ${lines.toFixed(1)} lines`);
    }
  }
  return found;
}"""

# What sticks out past the right edge of the screen (outside a scrolling table box), to explain a failure.
WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.table-responsive'))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}: ends at ${Math.round(el.getBoundingClientRect().right)}`);
}"""


# Staff of the province, of a city and of a grassroots union, the auditor and the superuser open every list;
# the other staff accounts open their home page (see pages_by_user).
OVERSEERS = ["sheng_staff", "xian_staff", "jiceng_staff", "auditor", "admin"]


def overseer_pages(username: str) -> list[str]:
    """The lists, and a ledger with files and a submitted application (the most versions first) from the
    units below the user's own."""
    unit = User.objects.get(username=username).unit
    teams = Team.objects.filter(grassroots_union__path__startswith=unit.path)
    ledger_team = teams.filter(ledger_entries__attachments__isnull=False).order_by("id").first()
    application = (
        Application.objects.filter(team__in=teams)
        .exclude(status=Application.Status.DRAFT)
        .order_by("-version", "id")
        .first()
    )
    urls = [
        reverse("home"),
        reverse("campaigns:list"),
        reverse("teams:list"),
        reverse("applications:list"),
        reverse("notices:list"),
        reverse("audit:event_list"),
        reverse("unit_list"),
        reverse("user_list"),
    ]
    if ledger_team:
        urls.append(reverse("teams:ledger", args=[ledger_team.pk]))
    if application:
        urls += [
            reverse("applications:detail", args=[application.pk]),
            reverse("applications:versions", args=[application.pk]),
        ]
    if username.endswith("_staff"):
        # The recommendation chain: the queue, a decision waiting at the unit, the progress it organises.
        urls.append(reverse("reviews:queue"))
        waiting = Recommendation.objects.filter(unit=unit, state=Recommendation.State.WAITING).order_by("id").first()
        if waiting:
            urls.append(reverse("reviews:decide", args=[waiting.application_id]))
        for campaign in Campaign.objects.filter(organiser=unit).exclude(status=Campaign.Status.DRAFT):
            urls += [reverse("reviews:progress", args=[campaign.pk]), reverse("reviews:extend", args=[campaign.pk])]
    return urls


def pages_by_user() -> dict[str | None, list[str]]:
    """The pages each demo account opens: its home page, the lists its roles show, the application pages."""
    returned = Application.objects.get(team__name="赵梦桃小组")  # led by `leader`, returned for revision
    pages = {
        None: [reverse("home"), reverse("notices:list")],
        "leader": [
            reverse("home"),
            reverse("teams:mine"),
            reverse("teams:ledger", args=[returned.team_id]),
            reverse("notices:list"),
            reverse("applications:detail", args=[returned.pk]),
            reverse("applications:edit", args=[returned.pk]),
            reverse("applications:versions", args=[returned.pk]),
        ],
        "expert": [reverse("home"), reverse("notices:list")],
        "xianyang_staff": [reverse("home")],
        "nenghua_staff": [reverse("home")],
    }
    pages.update({username: overseer_pages(username) for username in OVERSEERS})
    return pages


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def test_no_page_is_wider_than_a_phone(browser: Browser, browser_context_args, live_server, artifacts):
    call_command("seed_demo")
    folder = artifacts / "phone"
    shutil.rmtree(folder, ignore_errors=True)  # the pages' ids change from run to run
    folder.mkdir()
    problems = []
    # English is one click away, and its longer words must fit too.
    visits = [(username, urls, "zh-hans") for username, urls in pages_by_user().items()]
    visits.append((None, [reverse("home"), reverse("notices:list")], "en"))
    for username, urls, language in visits:
        context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        page = context.new_page()
        if username:
            sign_in(page, live_server.url, username)
        for url in urls:
            response = page.goto(live_server.url + url)
            where = f"{username or 'anonymous'} {url} ({language})"
            assert response.status == 200, where
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner_width:
                wide = page.evaluate(WIDE_ELEMENTS)
                problems.append(f"{where}: {scroll_width} px wide on a {inner_width} px screen: {wide}")
            problems.extend(f"{where}: {label}" for label in page.evaluate(LINES_OF_LABELS))
            name = "-".join(filter(None, [username or "anonymous", *url.strip("/").split("/"), language]))
            page.screenshot(path=folder / f"{name}.png", full_page=True)
        context.close()
    assert not problems, "\n".join(problems)
