"""The notifications' periodic tasks, as rows of django-celery-beat's tables: staff change their times
in the admin (定时任务), and a restart keeps what they set. Times are Beijing time."""

from django.db import migrations

INTERVALS = [
    # (name, task, every seconds, description)
    (
        "发送队列中的邮件",
        "notifications.send_queued",
        300,
        "Sends the e-mails that stayed queued (a broker that was down, a temporary SMTP failure's retry).",
    ),
]
CRONTABS = [
    # (name, task, minute, hour, description)
    (
        "截止日期提醒",
        "notifications.send_reminders",
        "5",
        "*",
        "Reminds everyone who still owes an action before a deadline, at the campaign's thresholds.",
    ),
    (
        "每日通知摘要",
        "notifications.send_daily_digests",
        "0",
        "8",
        "Mails one digest a day to those who chose it, with the notifications of the day before.",
    ),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, seconds, description in INTERVALS:
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "description": description}
        )
    for name, task, minute, hour, description in CRONTABS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description}
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[i[0] for i in INTERVALS] + [c[0] for c in CRONTABS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_preferences_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
