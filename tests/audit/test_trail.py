"""The audit trail: one event per service change, and no way to change or remove an event."""

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.services import role_assign
from audit.models import AuditEvent, AuditTrailIsAppendOnly
from audit.services import record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_service_change_writes_exactly_one_event(tree, role_users):
    user = UserFactory()
    actor = role_users["staff_ancestor"]
    before = AuditEvent.objects.count()
    assignment = role_assign(actor=actor, user=user, role=RoleAssignment.Role.EXPERT, unit=tree.city_a)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event.actor == actor
    assert event.actor_name == actor.get_full_name()
    assert event.action == "accounts.role_assign"
    assert (event.target_type, event.target_id) == ("accounts.roleassignment", str(assignment.pk))
    assert event.unit == tree.city_a
    assert event.details == {"user": user.username, "role": "expert"}


def test_the_request_address_is_recorded(client, tree):
    UserFactory(username="lina")
    client.post(reverse("login"), {"username": "lina", "password": "x"}, REMOTE_ADDR="10.1.2.3")
    assert AuditEvent.objects.get(action="accounts.login_failed").ip_address == "10.1.2.3"


def test_an_unregistered_action_is_refused(db):
    with pytest.raises(ValueError):
        record(actor=None, action="accounts.made_up")


@pytest.fixture
def event(db):
    return record(actor=None, action="accounts.login_failed", details={"username": "x"})


def test_saving_an_event_again_is_refused(event):
    event.action = "accounts.login"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()


def test_updating_through_a_queryset_is_refused(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="accounts.login")
    event.refresh_from_db()
    assert event.action == "accounts.login_failed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditevent SET action = 'x' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"]
)
def test_the_database_refuses_raw_update_and_delete(event, sql):
    with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="accounts.login_failed").exists()


def test_the_admin_offers_no_add_change_or_delete(client, tree, role_users, event):
    client.force_login(role_users["superuser"])
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "accounts.login"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action == "accounts.login_failed"
