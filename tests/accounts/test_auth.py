"""Signing in and out, failed-login throttling, password change and reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_logout_are_audited(client):
    user = UserFactory(username="wangmin")
    response = login(client, "wangmin", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert sorted(actions) == ["accounts.login", "accounts.logout"]


def test_a_wrong_password_gets_a_chinese_message_and_keeps_the_user_name(client):
    UserFactory(username="wangmin")
    response = login(client, "wangmin", "wrong-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码错误" in page
    assert 'value="wangmin"' in page
    assert AuditEvent.objects.filter(action="accounts.login_failed", details__username="wangmin").exists()


def test_five_failures_lock_the_account_for_that_address(client, settings):
    UserFactory(username="wangmin")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wangmin", "wrong-password")
    response = login(client, "wangmin", TEST_PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_user_name_does_not_lock_another(client, settings):
    UserFactory(username="wangmin")
    UserFactory(username="lina")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wangmin", "wrong-password")
    assert login(client, "lina", TEST_PASSWORD).status_code == 302


def test_password_change_is_audited_and_keeps_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Xin-mima-2027", "new_password2": "Xin-mima-2027"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2027")
    assert AuditEvent.objects.filter(action="accounts.password_change", actor=user).count() == 1
    assert client.get(reverse("profile")).status_code == 200


def test_password_reset_by_mail(client):
    user = UserFactory(email="lina@example.org.cn")
    client.post(reverse("password_reset"), {"email": "lina@example.org.cn"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Chongzhi-2027", "new_password2": "Chongzhi-2027"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Chongzhi-2027")
    assert AuditEvent.objects.filter(action="accounts.password_change", target_id=str(user.pk)).count() == 1


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0
