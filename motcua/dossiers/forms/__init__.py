"""What clerks type in the back office (screen forms only: the printed forms 01–07 live in
``motcua/dossiers/printed/``). Every message is Vietnamese; the actions still validate again."""

from motcua.dossiers.forms.actions import (
    ActionForm,
    ApologyForm,
    ForwardForm,
    NoteForm,
    OpinionForm,
    PaymentForm,
    PersonalSignatureForm,
    ReasonForm,
    RequestPaymentForm,
    ResultReadyForm,
    ReturnForm,
    SupplementForm,
)
from motcua.dossiers.forms.fields import BackofficeForm
from motcua.dossiers.forms.reception import ApplicantForm, DocumentRow, ReceptionForm

__all__ = [
    "ActionForm",
    "ApologyForm",
    "ApplicantForm",
    "BackofficeForm",
    "DocumentRow",
    "ForwardForm",
    "NoteForm",
    "OpinionForm",
    "PaymentForm",
    "PersonalSignatureForm",
    "ReasonForm",
    "ReceptionForm",
    "RequestPaymentForm",
    "ResultReadyForm",
    "ReturnForm",
    "SupplementForm",
]
