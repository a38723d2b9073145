from motcua.dossiers.models.counters import (
    AgencyDayCounter,
    AgencyMonthCounter,
    AgencyOpenCounter,
    DailyCounter,
    MonthCounter,
    OpenCounter,
    StockBaseline,
)
from motcua.dossiers.models.dossier import (
    APPLICANT_KIND_CODE,
    Apology,
    ApplicantKind,
    Counted,
    DeadlineFlag,
    Dossier,
    DossierDocument,
    DossierFee,
    Outcome,
    Payment,
    ResultDelivery,
    SupplementRequest,
)
from motcua.dossiers.models.events import AppendOnlyError, DossierEvent
from motcua.dossiers.models.national import (
    NationalRatingSync,
    NationalSyncChange,
    NationalSyncCounter,
    NationalSyncState,
)
from motcua.dossiers.models.rating import Rating, RatingCriterion, RatingLevel
from motcua.dossiers.models.results import UNSIGNED_YET, DossierResult, SignatureStatus
from motcua.dossiers.models.signatures import ResultSigning
from motcua.dossiers.models.steps import DossierStep
from motcua.dossiers.models.store import (
    StoreConsent,
    StoredDocument,
    StoredKind,
    StoreEvent,
    StoreEventKind,
)
from motcua.dossiers.models.support import ApiToken, DailySequence, IdempotencyKey
from motcua.dossiers.models.time import (
    ProcessingTimeDayCounter,
    ProcessingTimeMonthCounter,
    StepTimeDayCounter,
    StepTimeMonthCounter,
)

__all__ = [
    "APPLICANT_KIND_CODE",
    "UNSIGNED_YET",
    "AgencyDayCounter",
    "AgencyMonthCounter",
    "AgencyOpenCounter",
    "ApiToken",
    "Apology",
    "AppendOnlyError",
    "ApplicantKind",
    "Counted",
    "DailyCounter",
    "DailySequence",
    "DeadlineFlag",
    "Dossier",
    "DossierDocument",
    "DossierEvent",
    "DossierFee",
    "DossierResult",
    "DossierStep",
    "IdempotencyKey",
    "MonthCounter",
    "NationalRatingSync",
    "NationalSyncChange",
    "NationalSyncCounter",
    "NationalSyncState",
    "OpenCounter",
    "Outcome",
    "Payment",
    "ProcessingTimeDayCounter",
    "ProcessingTimeMonthCounter",
    "Rating",
    "RatingCriterion",
    "RatingLevel",
    "ResultDelivery",
    "ResultSigning",
    "SignatureStatus",
    "StepTimeDayCounter",
    "StepTimeMonthCounter",
    "StockBaseline",
    "StoreConsent",
    "StoreEvent",
    "StoreEventKind",
    "StoredDocument",
    "StoredKind",
    "SupplementRequest",
]
