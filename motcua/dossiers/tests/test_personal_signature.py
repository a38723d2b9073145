"""A leader's personal signature before the agency's (docs/signatures.md "A leader's
personal signature"): the deciding step asks for it, the result awaits it, only the member
holding that step's role at its agency signs (in the request, with the PIN typed on the
dossier page), then the agency's job signs on top; pyHanko's own validation finds both
signatures intact and trusted.

The dossier is 1.000426 (Sở Tư pháp) received at the provincial centre; the signing runs in
real time against the test CA, the SoftHSM token and the local timestamp authority."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.catalog.models import ProcessStep
from motcua.core.actions import ActionError
from motcua.core.outbox.models import OutboxStatus
from motcua.core.tests import samples
from motcua.devtools.signing.fixtures import LEADER_KEY_LABEL, validate
from motcua.devtools.signing.pki import AGENCY_CN, LEADER_CN, LEADER_PASSPHRASE, PKCS12_PASSPHRASE
from motcua.dossiers import signatures
from motcua.dossiers.actions import mark_result_ready, return_result, sign_result_personally
from motcua.dossiers.models import Dossier, DossierEvent, DossierResult, ResultSigning
from motcua.dossiers.tests.fixtures import holder, member, to_deciding_step
from motcua.org.models import Role
from motcua.signing.models import KeyKind, SigningKey, SigningPurpose

pytestmark = pytest.mark.django_db

AGENCY_SECRET = "MOTCUA_TEST_SIGNING_SECRET"
ACTION = "sign_result_personally"


@pytest.fixture(autouse=True)
def _site(settings: Any, tmp_path: Any, signing_pki: Any, tsa: Any, monkeypatch: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_TSA_URL = tsa.url
    settings.MOTCUA_TSA_TIMEOUT = 2
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(signing_pki.root.cert_path)]
    settings.MOTCUA_SIGNING_FETCH_REVOCATION = False
    monkeypatch.setenv(AGENCY_SECRET, PKCS12_PASSPHRASE)


@pytest.fixture
def agency_key(justice: Any, signing_pki: Any) -> SigningKey:
    return SigningKey.objects.create(
        agency=justice,
        kind=KeyKind.PKCS12,
        pkcs12_path=str(signing_pki.pkcs12_path),
        secret_env=AGENCY_SECRET,
        signer_name="Sở Tư pháp tỉnh Đồng Tháp",
    )


@pytest.fixture
def awaiting(received: Any, agency_key: SigningKey) -> Dossier:
    """A dossier whose deciding step asks for its leader's signature, with its PDF result."""
    dossier = to_deciding_step(received())
    step = dossier.current_step
    assert step is not None
    step.personal_signature = True
    step.save(update_fields=["personal_signature"])
    return mark_result_ready(dossier=dossier, officer=holder(dossier), result_file=upload())


def leader_of_step(dossier: Dossier) -> Any:
    step = result_of(dossier).personal_step
    assert step is not None
    return member(step.agency, step.role)


def personal_key(user: Any, kind: str, signing_pki: Any, request: Any) -> SigningKey:
    """The leader's own key, whose PIN they type at each signature (no variable)."""
    common = {
        "agency_id": user.memberships.first().agency_id,
        "user": user,
        "purpose": SigningPurpose.PERSONAL,
        "secret_env": "",
        "signer_name": "Nguyễn Văn Lãnh Đạo",
        "signer_title": "Phó Giám đốc",
    }
    if kind == KeyKind.PKCS12:
        return SigningKey.objects.create(
            kind=KeyKind.PKCS12, pkcs12_path=str(signing_pki.leader_pkcs12_path), **common
        )
    token = request.getfixturevalue("softhsm_token")
    return SigningKey.objects.create(
        kind=KeyKind.PKCS11,
        pkcs11_module=token.module,
        token_label=token.label,
        key_label=LEADER_KEY_LABEL,
        **common,
    )


def pin_of(key: SigningKey, request: Any) -> str:
    if key.kind == KeyKind.PKCS12:
        return LEADER_PASSPHRASE
    return str(request.getfixturevalue("softhsm_token").pin)


def upload() -> ContentFile:
    return ContentFile(samples.PDF, name="quyet-dinh.pdf")


def result_of(dossier: Dossier) -> DossierResult:
    return DossierResult.objects.select_related("personal_step").get(dossier=dossier)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_signature(user: Any, dossier: Dossier, pin: str) -> Any:
    return client_for(user).post(
        f"/ho-so/{dossier.code}/thao-tac/{ACTION}/",
        {f"{ACTION}-result": result_of(dossier).pk, f"{ACTION}-pin": pin},
    )


def test_the_template_steps_flag_is_copied_at_reception(received: Any) -> None:
    flagged = ProcessStep.objects.filter(
        template__procedure__code="1.000426", template__active=True, role=Role.LEADER
    )
    assert flagged.update(personal_signature=True) >= 1
    dossier = received()
    assert [s.personal_signature for s in dossier.steps.order_by("position")] == [
        s.role == Role.LEADER for s in dossier.steps.order_by("position")
    ]


def test_the_result_awaits_its_leader_and_is_not_returned(awaiting: Dossier, clerk_binh: Any):
    result = result_of(awaiting)
    assert result.awaiting_leader and result.published_file is None
    assert not ResultSigning.objects.exists()  # the agency's job waits for the leader
    assert "Chờ lãnh đạo ký số" in client_for(clerk_binh).get(f"/ho-so/{awaiting.code}/").text
    with pytest.raises(ActionError) as refused:
        return_result(dossier=awaiting, officer=holder(awaiting))
    assert refused.value.code == "awaiting_signature"


def test_only_the_leader_of_the_step_sees_the_form_and_signs(
    awaiting: Dossier, clerk_binh: Any, justice: Any, signing_pki: Any, request: Any
):
    leader = leader_of_step(awaiting)
    personal_key(leader, KeyKind.PKCS12, signing_pki, request)
    page = client_for(leader).get(f"/ho-so/{awaiting.code}/").text
    assert f"/thao-tac/{ACTION}/" in page and f'name="{ACTION}-pin"' in page
    specialist = member(justice, Role.SPECIALIST)
    for other in (clerk_binh, specialist):
        assert f"/thao-tac/{ACTION}/" not in client_for(other).get(f"/ho-so/{awaiting.code}/").text
        assert post_signature(other, awaiting, LEADER_PASSPHRASE).status_code == 403
        with pytest.raises(ActionError) as refused:
            sign_result_personally(
                dossier=awaiting, result=result_of(awaiting), officer=other, pin="x"
            )
        assert refused.value.status == 403
    assert result_of(awaiting).awaiting_leader


@pytest.mark.parametrize("kind", [KeyKind.PKCS12, KeyKind.PKCS11])
def test_a_wrong_pin_is_refused_and_nothing_changes(
    kind: str, awaiting: Dossier, signing_pki: Any, request: Any
):
    leader = leader_of_step(awaiting)
    personal_key(leader, kind, signing_pki, request)
    events = DossierEvent.objects.filter(dossier=awaiting).count()
    response = post_signature(leader, awaiting, "000000-sai")
    assert response.status_code == 422
    assert "Không ký số được" in response.text and "000000-sai" not in response.text
    result = result_of(awaiting)
    assert result.awaiting_leader and not result.personal_file
    assert not ResultSigning.objects.exists()
    assert DossierEvent.objects.filter(dossier=awaiting).count() == events


def test_the_authority_down_is_a_clear_error_to_retry_later(
    awaiting: Dossier, signing_pki: Any, request: Any, tsa: Any
):
    leader = leader_of_step(awaiting)
    key = personal_key(leader, KeyKind.PKCS12, signing_pki, request)
    tsa.go_down()
    with pytest.raises(ActionError) as refused:
        sign_result_personally(
            dossier=awaiting, result=result_of(awaiting), officer=leader, pin=pin_of(key, request)
        )
    assert refused.value.status == 503 and "thử lại sau" in refused.value.message
    assert result_of(awaiting).awaiting_leader and not ResultSigning.objects.exists()
    tsa.come_back()
    sign_result_personally(
        dossier=awaiting, result=result_of(awaiting), officer=leader, pin=pin_of(key, request)
    )
    assert result_of(awaiting).awaiting_signature


@pytest.mark.parametrize("kind", [KeyKind.PKCS12, KeyKind.PKCS11])
def test_the_leader_signs_then_the_agency_on_top_both_valid(
    kind: str, awaiting: Dossier, signing_pki: Any, request: Any, clerk_binh: Any
):
    leader = leader_of_step(awaiting)
    key = personal_key(leader, kind, signing_pki, request)
    response = post_signature(leader, awaiting, pin_of(key, request))
    assert response.status_code == 302

    result = result_of(awaiting)
    assert result.awaiting_signature and result.personally_signed_by == LEADER_CN
    personal = result.personal_file.read()
    status, _ = validate(personal, signing_pki)
    assert status.bottom_line and status.signer_reported_dt is not None
    event = DossierEvent.objects.filter(dossier=awaiting, kind=ACTION).get()
    assert event.data["signer"] == LEADER_CN and pin_of(key, request) not in str(event.data)
    mine = ResultSigning.objects.get(key=key)
    assert mine.step_id == result.personal_step_id and mine.status == OutboxStatus.SENT
    with pytest.raises(ActionError) as refused:  # the agency has not signed yet
        return_result(dossier=awaiting, officer=holder(awaiting))
    assert refused.value.code == "awaiting_signature"

    assert signatures.drain()["sent"] == 1
    result = result_of(awaiting)
    signed = result.signed_file.read()
    assert result.signature == "signed" and result.signed_by == AGENCY_CN
    assert signed.startswith(personal)  # an incremental update of the leader's file
    leader_status, reader = validate(signed, signing_pki, 0)
    agency_status, _ = validate(signed, signing_pki, 1)
    assert len(reader.embedded_regular_signatures) == 2
    assert leader_status.bottom_line and agency_status.bottom_line
    assert leader_status.signing_cert.subject.native["common_name"] == LEADER_CN
    assert agency_status.signing_cert.subject.native["common_name"] == AGENCY_CN
    page = client_for(clerk_binh).get(f"/ho-so/{awaiting.code}/").text
    assert f"Lãnh đạo đã ký số: {LEADER_CN}" in page and f"Đã ký số bởi {AGENCY_CN}" in page
    assert return_result(dossier=awaiting, officer=holder(awaiting)).status == "returned"


def test_without_a_timestamp_the_first_covers_its_revision_the_second_the_file(
    awaiting: Dossier, signing_pki: Any, request: Any, settings: Any
):
    from pyhanko.sign.validation import SignatureCoverageLevel

    settings.MOTCUA_TSA_URL = ""
    leader = leader_of_step(awaiting)
    key = personal_key(leader, KeyKind.PKCS12, signing_pki, request)
    sign_result_personally(
        dossier=awaiting, result=result_of(awaiting), officer=leader, pin=pin_of(key, request)
    )
    assert signatures.drain()["sent"] == 1
    signed = result_of(awaiting).signed_file.read()
    first, _ = validate(signed, signing_pki, 0)
    second, _ = validate(signed, signing_pki, 1)
    assert first.bottom_line and first.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert second.bottom_line and second.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_a_leader_without_a_key_is_told_so(awaiting: Dossier):
    leader = leader_of_step(awaiting)
    with pytest.raises(ActionError) as refused:
        sign_result_personally(dossier=awaiting, result=result_of(awaiting), officer=leader)
    assert refused.value.code == "no_personal_key"
    assert "chưa có khóa ký số cá nhân" in client_for(leader).get(f"/ho-so/{awaiting.code}/").text
