import socket
from datetime import date, timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from django.core import mail

from kehoach.activities import notifications
from kehoach.activities.models import DigestLog, Task
from kehoach.plans.models import Plan

TODAY = date(2026, 6, 10)
TITLE = "Tổ chức tuyên truyền Chỉ thị số 58-CT/TW trên hệ thống truyền thanh"


@pytest.fixture
def due(world):
    world.secretary.email = "chibo1@example.vn"
    world.secretary.save()
    plan = Plan.objects.create(unit=world.ward, title="Kế hoạch tuyên truyền")
    overdue = Task.objects.create(
        plan=plan, unit=world.cell1, title="Nộp báo cáo quý II", due_date=TODAY - timedelta(2)
    )
    soon = Task.objects.create(
        plan=plan, unit=world.cell1, title=TITLE, due_date=TODAY + timedelta(days=1)
    )
    return overdue, soon


def only_mail_to(address):
    messages = [m for m in mail.outbox if m.to == [address]]
    assert len(messages) == 1
    return messages[0]


class TestDigestEmail:
    def test_the_email_has_a_text_and_an_html_part_listing_every_task(self, world, due, settings):
        settings.SITE_URL = "https://kehoach.lechan.vn"
        overdue, soon = due
        notifications.send_digests(TODAY)
        message = only_mail_to("chibo1@example.vn")
        assert "10/06/2026" in message.subject
        assert message.from_email == settings.DEFAULT_FROM_EMAIL
        assert TITLE in message.body and "Nộp báo cáo quý II" in message.body
        assert "11/06/2026" in message.body and "08/06/2026" in message.body
        assert "https://kehoach.lechan.vn/viec/" in message.body
        assert world.secretary.full_name in message.body
        html, kind = message.alternatives[0]
        assert kind == "text/html"
        assert f'href="https://kehoach.lechan.vn/viec/{soon.pk}/"' in html
        assert html.index("Nộp báo cáo quý II") < html.index(TITLE)

    def test_the_text_part_is_not_html_escaped(self, world, due):
        due[1].title = 'Tuyên truyền "Ngày hội" & <lễ> phát động'
        due[1].save()
        notifications.send_digests(TODAY)
        body = only_mail_to("chibo1@example.vn").body
        assert 'Tuyên truyền "Ngày hội" & <lễ> phát động' in body
        html = only_mail_to("chibo1@example.vn").alternatives[0][0]
        assert "&lt;lễ&gt;" in html

    def test_only_people_with_an_address_get_an_email(self, world, due):
        assert notifications.send_digests(TODAY) == 2
        assert [m.to for m in mail.outbox] == [["chibo1@example.vn"]]
        assert DigestLog.objects.filter(emailed=True).count() == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_digest_goes_through_a_real_smtp_server_in_utf8(world, due, smtp_server, settings):
    assert notifications.send_digests(TODAY) == 2
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["chibo1@example.vn"]
    assert envelope.mail_from == settings.DEFAULT_FROM_EMAIL
    message = message_from_bytes(envelope.original_content, policy=email_policy.default)
    assert message["To"] == "chibo1@example.vn"
    expected_subject = notifications.digest_subject(
        notifications.digest_for(world.secretary, TODAY)
    )
    # A long encoded subject is folded onto a continuation line; readers trim that space.
    assert str(message["Subject"]).strip() == expected_subject
    plain = message.get_body(preferencelist=("plain",))
    assert plain.get_content_charset() == "utf-8"
    text = plain.get_content()
    assert TITLE in text and "Chi bộ Tổ dân phố số 1" in text and "Vũ Văn Nam" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Nộp báo cáo quý II" in html
    assert DigestLog.objects.get(user=world.secretary).emailed
