"""`buut redactie herinneren`: each owner's digest, sent to a real SMTP server on loopback (aiosmtpd), and
the same text with --droog without sending. Addresses are the test's own (eigenaren.yml in a copy)."""
from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from buut.serve.store import open_store
from conftest import write

TODAY = "2027-05-20"  # werkkader pages with herzien_voor 2027-05-01 are overdue, 2027-06-01 is soon
ADRESSEN = """\
eigenaren:
  - eigenaar: redactie-werkkader
    e-mail: werkkader@voorbeeld.test
  - eigenaar: redactie-werkinstructies
    e-mail: werkinstructies@voorbeeld.test
  - eigenaar: redactie-intranet
    e-mail: ""
"""


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, tuple(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def owners(repo, tmp_path, monkeypatch):
    """A copy with the test's addresses, one report and one failed search in a fresh store."""
    monkeypatch.setenv("BUUT_DATUM", TODAY)
    write(repo, "eigenaren.yml", ADRESSEN)
    database = tmp_path / "buut.sqlite3"
    store = open_store(f"sqlite:///{database}")
    store.record_feedback("werkkader/2-3-regie/", "redactie-werkkader", "melding", "De link naar de regiekaart werkt niet")
    store.record_failed_search("kwantumfysica")
    return repo, str(database)


def digest_args(database):
    return ["redactie", "herinneren", "--sinds", "365", "--database", database]


def test_each_owner_gets_a_digest_by_smtp(owners, smtp, buut, monkeypatch):
    repo, database = owners
    controller, inbox = smtp
    monkeypatch.setenv("BUUT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BUUT_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("BUUT_SMTP_AFZENDER", "buut@voorbeeld.test")
    result = buut(*digest_args(database), root=repo)
    assert result.exit_code == 0, result.output
    by_address = {rcpt[0]: mail for _, rcpt, mail in inbox.messages}
    assert set(by_address) == {"werkkader@voorbeeld.test", "werkinstructies@voorbeeld.test"}, result.output
    werkkader = by_address["werkkader@voorbeeld.test"]
    assert werkkader["From"] == "buut@voorbeeld.test"
    assert werkkader["Subject"].startswith("BUUT voor Redactie werkkader: ")
    body = werkkader.get_content()
    assert "Aan herziening toe (" in body and "2.3 Regie (/werkkader/2-3-regie/, werkkader/2-3-regie.md): uiterlijk 1 mei 2027, 19 dag(en) geleden" in body
    assert "De link naar de regiekaart werkt niet" in body, "een nieuwe melding staat in het overzicht van haar eigenaar"
    assert "\u201ckwantumfysica\u201d: 1 keer" in body
    werkinstructies = by_address["werkinstructies@voorbeeld.test"].get_content()
    assert "Binnenkort aan herziening toe (" in werkinstructies and "uiterlijk 1 juni 2027, over 12 dag(en)" in werkinstructies
    assert "De link naar de regiekaart" not in werkinstructies
    assert "Verstuurd aan redactie-werkkader (werkkader@voorbeeld.test)" in result.output
    assert "Geen e-mailadres in eigenaren.yml voor: " in result.output and "redactie-intranet" in result.output


def test_droog_prints_the_digests_and_sends_nothing(owners, smtp, buut, monkeypatch):
    repo, database = owners
    controller, inbox = smtp
    for name in ("BUUT_SMTP_HOST", "BUUT_SMTP_AFZENDER"):
        monkeypatch.delenv(name, raising=False)
    result = buut(*digest_args(database), "--droog", root=repo)
    assert result.exit_code == 0, result.output
    assert inbox.messages == []
    assert "Aan: werkkader@voorbeeld.test\nOnderwerp: BUUT voor Redactie werkkader: " in result.output
    assert "De link naar de regiekaart werkt niet" in result.output
    assert "Aan: (geen adres in eigenaren.yml)" in result.output
    assert "Niets verstuurd (--droog): 2 e-mail(s) klaar om te versturen." in result.output


def test_missing_or_unreachable_mail_server_is_a_dutch_message(owners, buut, monkeypatch):
    repo, database = owners
    monkeypatch.delenv("BUUT_SMTP_HOST", raising=False)
    monkeypatch.setenv("BUUT_SMTP_AFZENDER", "buut@voorbeeld.test")
    result = buut(*digest_args(database), root=repo)
    assert result.exit_code == 2 and "BUUT_SMTP_HOST ontbreekt" in result.output and "Traceback" not in result.output
    monkeypatch.setenv("BUUT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BUUT_SMTP_PORT", str(free_port()))  # nobody listens there
    result = buut(*digest_args(database), root=repo)
    assert result.exit_code == 2, result.output
    assert "de mailserver 127.0.0.1:" in result.output and "nam de herinneringen niet aan" in result.output


def test_a_wrong_address_in_eigenaren_yml_names_file_and_line(owners, buut):
    repo, database = owners
    write(repo, "eigenaren.yml", ADRESSEN.replace("werkinstructies@voorbeeld.test", "werkinstructies-at-voorbeeld"))
    result = buut(*digest_args(database), "--droog", root=repo)
    assert result.exit_code == 2, result.output
    assert "eigenaren.yml:5:" in result.output and "geen geldig e-mailadres" in result.output
