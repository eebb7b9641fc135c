"""The demo's revocation (摘牌): one of the 2025 named teams lost its title after a serious safety
accident at its unit in the summer of 2026; the plaque was handed back, the certificate not yet."""

from datetime import date, datetime, time

from accounts.models import User
from core.demo import SHANGHAI, clock_at

from ..models import Revocation, Title
from ..revocation import revoke
from .texts import DECISION_DOCUMENT_NUMBER

REVOKED_TEAM = "催化裂化装置二班"
REVOCATION_DOCUMENT_NUMBER = "陕工发〔2026〕35号"
REVOKED_ON = date(2026, 9, 15)
REVOCATION_DETAILS = (
    "2026年8月27日，该班组所在装置在停工检修过程中发生一起较大生产安全事故，经调查认定班组负有直接责任。"
    "根据《陕西省“梦桃式班组”创建管理办法》关于动态管理的规定，撤销其“陕西省梦桃式班组”称号，收回证书和牌匾。"
)


def seed_revocation() -> None:
    titles = Title.objects.filter(decision__document_number=DECISION_DOCUMENT_NUMBER)
    if not titles.exists() or Revocation.objects.filter(title__in=titles).exists():
        return
    title = titles.filter(team_name=REVOKED_TEAM).first() or titles.order_by("-certificate_number").first()
    with clock_at(datetime.combine(date(2026, 9, 16), time(15, 20), tzinfo=SHANGHAI)):
        revoke(
            actor=User.objects.get(username="sheng_staff"),
            titles=[title],
            reason=Revocation.Reason.ACCIDENT,
            details=REVOCATION_DETAILS,
            document_number=REVOCATION_DOCUMENT_NUMBER,
            revoked_on=REVOKED_ON,
            plaque_returned=True,
        )
