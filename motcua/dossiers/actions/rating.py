"""Rating: the applicant says how the service went, once the result is returned.

Decision 766/QĐ-TTg measures satisfaction by the share of ratings per level; the figures
are kept in ``DailyCounter`` (``rated_*``) in the same transaction as the rating, on the day
it was given, under the dossier's competent agency, unit and procedure.

**One rating per dossier; a second is refused** (``already_rated``), never merged: the
counters already counted the first one, the event log is append-only, and a rating that
could be changed after the fact would let a pressured applicant be asked to "correct" it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.actions import ActionError, User, invalid, now, person
from motcua.dossiers.actions.transitions import append_event, lock
from motcua.dossiers.counters import bump_daily
from motcua.dossiers.models import Dossier, Rating, RatingCriterion, RatingLevel
from motcua.dossiers.permissions import authorise
from motcua.dossiers.status import DossierStatus

COMMENT_MAX = 2000


@transaction.atomic
def rate_dossier(
    *,
    dossier: Dossier,
    citizen: User,
    level: str,
    answers: dict[int, str] | None = None,
    comment: str = "",
) -> Rating:
    """Record the applicant's rating of a returned dossier: an overall ``level`` (very
    satisfied / satisfied / not satisfied), one level per active criterion the province set
    (``answers``: criterion id → level; every active criterion must be answered) and an
    optional comment. Whether ``citizen`` may rate this dossier is the caller's door
    (the citizen portal's); this checks the state on the locked row."""
    if level not in RatingLevel.values:
        raise invalid("bad_rating_level", _("Mức độ hài lòng không hợp lệ."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise invalid(
            "comment_too_long",
            _("Góp ý dài tối đa %(max)s ký tự.") % {"max": COMMENT_MAX},
        )
    answered = _answers(answers or {})
    dossier = lock(dossier)
    # Officers never rate (a rating feeds the satisfaction indicators); which dossiers are
    # the citizen's is the portal's door.
    authorise(dossier, citizen, "rate")
    if dossier.status != DossierStatus.RETURNED:
        raise ActionError(
            "not_returned",
            _("Chỉ đánh giá được sau khi hồ sơ %(code)s đã trả kết quả.") % {"code": dossier.code},
            details={"status": dossier.status},
        )
    if Rating.objects.filter(dossier=dossier).exists():
        raise ActionError(
            "already_rated",
            _("Hồ sơ %(code)s đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.")
            % {"code": dossier.code},
        )
    at = now()
    rating = Rating.objects.create(
        dossier=dossier,
        citizen=person(citizen),
        level=level,
        answers=answered,
        comment=comment,
        rated_at=at,
    )
    append_event(
        dossier,
        kind="rate",
        actor=citizen,
        at=at,
        level=level,
        answers=[{"criterion": a["criterion"], "level": a["level"]} for a in answered],
    )
    bump_daily(dossier, f"rated_{level}", at)
    return rating


def _answers(answers: dict[int, str]) -> list[dict[str, object]]:
    """Every active criterion with its level, in the province's order, as it reads now."""
    criteria = list(RatingCriterion.objects.filter(active=True).order_by("order", "id"))
    known = {c.pk for c in criteria}
    if any(key not in known for key in answers):
        raise invalid("unknown_criterion", _("Tiêu chí đánh giá không còn áp dụng."))
    out: list[dict[str, object]] = []
    for criterion in criteria:
        value = answers.get(criterion.pk)
        if value not in RatingLevel.values:
            raise invalid(
                "criterion_unanswered",
                _("Cần chọn mức độ hài lòng cho tiêu chí «%(text)s».") % {"text": criterion.text},
                criterion=criterion.pk,
            )
        out.append({"criterion": criterion.pk, "text": criterion.text, "level": value})
    return out


__all__ = ["rate_dossier"]
