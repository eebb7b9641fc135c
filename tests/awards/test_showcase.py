"""The showcase of typical examples (典型选树): the organiser's staff feature a named team with a
headline, a story cleaned to a few tags and photos from its own ledger (images only); a second submit
edits the same feature; a feature is taken down, never deleted, and audited; the public lists the
standing features of named titles by region and industry, reads one with its honour and sees its
photos — and none of it once the title is revoked or the feature taken down. Query counts do not grow
with the rows."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.services import role_assign
from audit.models import AuditEvent
from awards.errors import AwardsError
from awards.models import Feature, FeaturePhoto, Title
from awards.showcase import feature_save, feature_withdraw, sanitise_story
from teams.services import ledger_entry_save
from tests.factories import PDF_BYTES, PNG_BYTES, UserFactory, make_campaign, make_team, make_title, upload

pytestmark = pytest.mark.django_db

STORY = "<div>班组坚持“梦桃精神”，<strong>不让一个伙伴掉队</strong>。</div><div>师带徒结对八对。</div>"
LIST = reverse("showcase:list")


@pytest.fixture
def leader(tree):
    return UserFactory(username="dianxing_leader", unit=tree.grassroots_a1, name="何小梅")


@pytest.fixture
def campaign(tree):
    return make_campaign(organiser=tree.province, document_number="陕工发〔2025〕12号", publish=True)


@pytest.fixture
def organiser(campaign):
    return campaign.created_by


def ledger_photos(team, leader, *files):
    """A ledger entry of `team` with the files given as (name, bytes, type)."""
    saved = ledger_entry_save(
        actor=leader,
        team=team,
        occurred_on=date(2025, 5, 1),
        kind="activity",
        title="技术比武",
        uploads=[upload(name, content, content_type) for name, content, content_type in files],
    )
    assert not saved.refused
    return saved.attached


def named(campaign, leader, tree, name, *, region="西安市", industry="C"):
    team = make_team(leader=leader, union=tree.grassroots_a1, name=name)
    title = make_title(campaign=campaign, team=team, document_number="陕工发〔2025〕30号")
    Title.objects.filter(pk=title.pk).update(region=region, industry=industry)
    title.refresh_from_db()
    return title


@pytest.fixture
def title(campaign, leader, tree):
    return named(campaign, leader, tree, "细纱乙班")


@pytest.fixture
def photos(title, leader):
    return ledger_photos(
        title.team, leader, ("比武现场.png", PNG_BYTES, "image/png"), ("颁奖.png", PNG_BYTES + b"2", "image/png")
    )


# --- Services ----------------------------------------------------------------------------------


def test_a_feature_keeps_the_story_s_formatting_and_drops_scripts_and_attributes(title, organiser, photos):
    feature = feature_save(
        actor=organiser,
        title=title,
        headline="  三十年传帮带  ",
        story=STORY + '<script>alert(1)</script><p onclick="x()" style="color:red">操作法</p><a href="x">链接</a>'
        '<img src="x" onerror="alert(1)"><h1>标题</h1>',
        photos=[photos[1], photos[0].pk],
    )
    assert feature.headline == "三十年传帮带"
    assert "<script" not in feature.story and "alert" not in feature.story
    assert "onclick" not in feature.story and "style" not in feature.story and "<a" not in feature.story
    assert "<img" not in feature.story and "<h1" not in feature.story
    assert feature.story.startswith("<p>班组坚持“梦桃精神”，<strong>不让一个伙伴掉队</strong>。</p><p>师带徒")
    assert "<p>操作法</p>" in feature.story and "链接" in feature.story
    assert [p.attachment_id for p in feature.feature_photos.order_by("order")] == [photos[1].pk, photos[0].pk]
    event = AuditEvent.objects.get(action="awards.feature_save")
    assert event.actor == organiser and event.details["photos"] == 2 and event.details["new"] is True


def test_the_story_s_limit_counts_its_text_not_its_markup(title, organiser):
    words = "梦" * 3000
    feature = feature_save(actor=organiser, title=title, story=f"<p><strong>{words}</strong></p>")
    assert len(feature.story) > 3000
    with pytest.raises(ValidationError) as refused:
        feature_save(actor=organiser, title=title, story=f"<p>{words}桃</p>")
    assert set(refused.value.message_dict) == {"story"}
    with pytest.raises(ValidationError) as refused:
        feature_save(actor=organiser, title=title, story="<script>x()</script><p> </p>")
    assert set(refused.value.message_dict) == {"story"}


def test_photos_of_another_team_are_refused(title, organiser, campaign, leader, tree):
    other = make_team(leader=leader, union=tree.grassroots_a1, name="织布甲班")
    theirs = ledger_photos(other, leader, ("他们的.png", PNG_BYTES, "image/png"))
    with pytest.raises(ValidationError) as refused:
        feature_save(actor=organiser, title=title, story=STORY, photos=theirs)
    assert set(refused.value.message_dict) == {"photos"}
    assert not Feature.objects.exists()


def test_a_ledger_file_that_is_not_an_image_is_refused(title, organiser, leader):
    (paper,) = ledger_photos(title.team, leader, ("制度.pdf", PDF_BYTES, "application/pdf"))
    with pytest.raises(ValidationError) as refused:
        feature_save(actor=organiser, title=title, story=STORY, photos=[paper])
    assert "制度.pdf" in refused.value.message_dict["photos"][0]
    with pytest.raises(ValidationError):
        feature_save(actor=organiser, title=title, story=STORY, photos=[987654])
    assert not Feature.objects.exists()


def test_a_revoked_title_is_not_featured(title, organiser):
    Title.objects.filter(pk=title.pk).update(state=Title.State.REVOKED)
    with pytest.raises(AwardsError):
        feature_save(actor=organiser, title=title, story=STORY)
    assert not Feature.objects.exists()


def test_only_the_organiser_s_staff_feature_a_team(title, tree, leader):
    sibling = UserFactory(username="yishi_staff", unit=tree.city_b)
    role_assign(actor=None, user=sibling, role=RoleAssignment.Role.STAFF, unit=tree.city_b)
    for actor in (sibling, leader):
        with pytest.raises(PermissionDenied):
            feature_save(actor=actor, title=title, story=STORY)
    superuser = UserFactory(username="root_showcase", unit=tree.province, is_superuser=True)
    assert feature_save(actor=superuser, title=title, story=STORY).featured_by == superuser


def test_saving_twice_edits_the_one_standing_feature(title, organiser, photos):
    first = feature_save(actor=organiser, title=title, story=STORY, photos=photos)
    second = feature_save(actor=organiser, title=title, headline="操作法", story=STORY, photos=[photos[0]])
    assert first.pk == second.pk and Feature.objects.count() == 1
    assert second.featured_at == first.featured_at and second.updated_at > first.updated_at
    assert list(FeaturePhoto.objects.values_list("attachment_id", flat=True)) == [photos[0].pk]
    assert AuditEvent.objects.filter(action="awards.feature_save").count() == 2


def test_a_feature_taken_down_is_kept_and_the_team_may_be_featured_again(title, organiser):
    feature = feature_save(actor=organiser, title=title, story=STORY)
    withdrawn = feature_withdraw(actor=organiser, feature=feature)
    assert withdrawn.withdrawn_by == organiser and withdrawn.withdrawn_at is not None
    with pytest.raises(AwardsError):
        feature_withdraw(actor=organiser, feature=feature)  # a second click
    again = feature_save(actor=organiser, title=title, story=STORY)
    assert again.pk != feature.pk and Feature.objects.count() == 2
    assert AuditEvent.objects.filter(action="awards.feature_withdraw").count() == 1


def test_sanitising_turns_the_editor_s_blocks_into_paragraphs():
    assert sanitise_story("<div>甲<br>乙</div><div><br></div><blockquote>丙</blockquote>") == (
        "<p>甲<br>乙</p><blockquote>丙</blockquote>"
    )


@pytest.mark.django_db(transaction=True)
def test_two_staff_featuring_a_team_at_once_make_one_feature(tree, leader):
    campaign = make_campaign(organiser=tree.province, document_number="陕工发〔2025〕12号", publish=True)
    other = UserFactory(username="sheng_staff_2", unit=tree.province)
    role_assign(actor=None, user=other, role=RoleAssignment.Role.STAFF, unit=tree.province)
    title = named(campaign, leader, tree, "细纱乙班")
    outcomes, barrier = [], threading.Barrier(2)

    def save(actor):
        barrier.wait()
        try:
            feature_save(actor=actor, title=title, story=STORY)
            outcomes.append("saved")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=save, args=(actor,)) for actor in (campaign.created_by, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["saved", "saved"]
    assert Feature.objects.count() == 1


# --- The public pages --------------------------------------------------------------------------


def test_the_list_shows_standing_features_of_named_titles_by_region_and_industry(
    client, campaign, leader, tree, organiser
):
    xian = named(campaign, leader, tree, "细纱乙班", region="西安市", industry="C")
    xianyang = named(campaign, leader, tree, "心内科护理班组", region="咸阳市", industry="Q")
    hidden = named(campaign, leader, tree, "综采一队", region="延安市", industry="B")
    for title in (xian, xianyang, hidden):
        feature_save(actor=organiser, title=title, headline=f"{title.team_name}的故事", story=STORY)
    feature_withdraw(actor=organiser, feature=Feature.objects.get(title=hidden))

    def names(query=""):
        response = client.get(LIST + query)
        assert response.status_code == 200
        return [f.title.team_name for f in response.context["page_obj"]]

    assert names() == ["心内科护理班组", "细纱乙班"]  # newest first; the one taken down is not listed
    assert names("?region=西安市") == ["细纱乙班"]
    assert names("?industry=Q") == ["心内科护理班组"]
    assert names("?region=西安市&industry=Q") == []
    response = client.get(LIST + "?region=火星")
    assert response.context["form"].errors and len(response.context["page_obj"]) == 2
    assert [c for c, _ in response.context["form"].fields["region"].choices][1:] == ["西安市", "咸阳市"]


def test_a_feature_s_page_shows_the_story_the_photos_and_the_honour(client, title, organiser, photos):
    feature = feature_save(actor=organiser, title=title, headline="不让一个伙伴掉队", story=STORY, photos=photos)
    Feature.objects.filter(pk=feature.pk).update(story=feature.story + "<script>alert(1)</script>")
    response = client.get(reverse("showcase:detail", args=[feature.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>不让一个伙伴掉队</strong>" in html and "alert(1)" not in html
    assert title.certificate_number in html and "陕工发〔2025〕30号" in html
    assert reverse("registry:team", args=[title.team_id]) in html
    for photo in photos:
        assert reverse("showcase:photo", args=[feature.pk, photo.pk]) in html


def test_a_photo_is_served_while_its_feature_stands_and_its_title_is_named(client, title, organiser, photos, leader):
    feature = feature_save(actor=organiser, title=title, story=STORY, photos=[photos[0]])
    url = reverse("showcase:photo", args=[feature.pk, photos[0].pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PNG_BYTES
    # A ledger photo that the feature did not choose is not served, nor another team's.
    assert client.get(reverse("showcase:photo", args=[feature.pk, photos[1].pk])).status_code == 404


@pytest.mark.parametrize("how", ["revoked", "withdrawn"])
def test_a_revoked_title_or_a_feature_taken_down_leaves_the_showcase(client, title, organiser, photos, how):
    feature = feature_save(actor=organiser, title=title, story=STORY, photos=[photos[0]])
    detail = reverse("showcase:detail", args=[feature.pk])
    photo = reverse("showcase:photo", args=[feature.pk, photos[0].pk])
    assert len(client.get(LIST).context["page_obj"]) == 1
    assert client.get(detail).status_code == 200  # now in the cache
    assert client.get(detail)["X-Public-Cache"] == "hit"
    if how == "revoked":
        Title.objects.filter(pk=title.pk).update(state=Title.State.REVOKED)
    else:
        feature_withdraw(actor=organiser, feature=feature)
    response = client.get(LIST)
    assert "X-Public-Cache" not in response and len(response.context["page_obj"]) == 0
    assert client.get(detail).status_code == 404
    assert client.get(photo).status_code == 404


def _features(campaign, leader, tree, organiser, n):
    for index in range(n):
        title = named(campaign, leader, tree, f"班组{index}", region=["西安市", "咸阳市"][index % 2])
        (photo,) = ledger_photos(title.team, leader, (f"照片{index}.png", PNG_BYTES + bytes([index]), "image/png"))
        feature_save(actor=organiser, title=title, story=STORY, photos=[photo])


@pytest.mark.parametrize("n", [1, 3])
def test_the_public_list_s_queries_do_not_grow_with_the_features(
    client, campaign, leader, tree, organiser, n, django_assert_num_queries
):
    _features(campaign, leader, tree, organiser, n)
    # The version (registry and features in one query), the regions, the count, the features, their photos.
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == n
    assert response.content.decode().count('data-testid="feature-cover"') == n


def test_the_region_filter_reads_each_region_once(campaign, leader, tree, organiser):
    """The regions' query is distinct on the region alone (not on every feature, as the features'
    default order would make it): as many rows as regions, however many features."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.showcase import showcase_regions

    _features(campaign, leader, tree, organiser, 4)
    with CaptureQueriesContext(connection) as captured:
        regions = showcase_regions()
    assert sorted(regions) == ["咸阳市", "西安市"]  # each once
    (query,) = captured.captured_queries
    assert "ORDER BY" not in query["sql"] and "featured_at" not in query["sql"]


# --- The organiser's pages ---------------------------------------------------------------------


def test_staff_feature_a_team_from_the_campaign_s_page(client, campaign, title, organiser, photos):
    client.force_login(organiser)
    page = client.get(reverse("awards:naming", args=[campaign.pk]))
    assert reverse("awards:features", args=[campaign.pk]) in page.content.decode()
    listing = client.get(reverse("awards:features", args=[campaign.pk]))
    edit = reverse("awards:feature_edit", args=[campaign.pk, title.pk])
    assert edit in listing.content.decode()
    form = client.get(edit)
    assert form.status_code == 200 and len(form.context["photos"]) == 2
    response = client.post(edit, {"headline": "传帮带", "story": STORY, "photos": [photos[1].pk]})
    assert response.status_code == 302
    feature = Feature.objects.get()
    assert feature.headline == "传帮带" and list(feature.photos.all()) == [photos[1]]
    # The form opens again with the feature, its photo first.
    again = client.get(edit)
    assert again.context["chosen"] == {photos[1].pk} and again.context["photos"][0] == photos[1]
    withdraw = reverse("awards:feature_withdraw", args=[campaign.pk, feature.pk])
    assert client.post(withdraw).status_code == 302
    assert client.post(withdraw).status_code == 302  # a double click: a message, not an error
    feature.refresh_from_db()
    assert feature.withdrawn_by == organiser


def test_a_refused_form_keeps_the_story_and_the_photos(client, campaign, title, organiser, photos):
    client.force_login(organiser)
    edit = reverse("awards:feature_edit", args=[campaign.pk, title.pk])
    story = "<div>" + "梦" * 3001 + "</div>"
    response = client.post(edit, {"headline": "传帮带", "story": story, "photos": [photos[0].pk]})
    assert response.status_code == 200 and response.context["form"].errors["story"]
    html = response.content.decode()
    assert "梦" * 3001 in html and response.context["chosen"] == {photos[0].pk}
    assert 'value="传帮带"' in html
    assert not Feature.objects.exists()


def test_the_form_of_a_revoked_title_refuses(client, campaign, title, organiser):
    Title.objects.filter(pk=title.pk).update(state=Title.State.REVOKED)
    client.force_login(organiser)
    edit = reverse("awards:feature_edit", args=[campaign.pk, title.pk])
    assert 'data-testid="feature-revoked"' in client.get(edit).content.decode()
    response = client.post(edit, {"story": STORY})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Feature.objects.exists()


@pytest.mark.parametrize("n", [1, 3])
def test_the_staff_list_s_queries_do_not_grow_with_the_titles(
    client, campaign, leader, tree, organiser, n, django_assert_num_queries
):
    _features(campaign, leader, tree, organiser, n)
    named(campaign, leader, tree, "未选班组")
    client.force_login(organiser)
    url = reverse("awards:features", args=[campaign.pk])
    # The session, the user with their roles, the campaign, the decision, the count, the titles, their
    # standing features (their photos counted), the bell.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page_obj"]) == n + 1
