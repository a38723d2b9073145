"""Where the routing model learns from, and which agency answers for each sector.

Three sources, all read through the ORM: the procedure catalogue (each procedure's name and
results say what its sector covers, in the law's words), the labelled hotline messages shipped
in ``data/examples.jsonl.gz`` (how citizens say it), and the tickets operators have already
classified (how this province's citizens say it, and where they were sent).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Sum

from motcua.catalog.models import Procedure, ResultDocument, Sector
from motcua.catalog.search.store import fingerprint as catalogue_fingerprint
from motcua.catalog.search.synonyms import COLLOQUIAL
from motcua.hotline.routing.model import Classifier, Example, Featurizer, train

EXAMPLES = Path(__file__).resolve().parent / "data" / "examples.jsonl.gz"

# How much one message counts against one procedure of the catalogue: a message is written
# the way the next one will be. Chosen by cross-validation on the train split
# (bench/routing_eval.py --cv).
LABELLED_WEIGHT = 3.0
TICKET_WEIGHT = 3.0
# The routed tickets learnt from: the most recent ones, so a model trains in seconds whatever
# the hotline's history (every web process trains its own as it starts) and follows how
# citizens write now. At a few dozen tickets a day, years of a province's routing.
TRAINING_TICKETS = 10_000


@dataclass(frozen=True)
class Router:
    classifier: Classifier
    sector_ids: dict[str, int]
    # Sector id → the agency most likely to answer for it; None id: the commune's own.
    agencies: dict[int, tuple[int | None, str | None]]


@cache
def labelled(split: str | None = None) -> tuple[Example, ...]:
    """The shipped messages (of one split, or all), labelled with sector names."""
    rows = (
        json.loads(line)
        for line in gzip.decompress(EXAMPLES.read_bytes()).decode("utf-8").splitlines()
        if line.strip()
    )
    return tuple(
        Example(row["text"], row["sector"], LABELLED_WEIGHT)
        for row in rows
        if split is None or row["split"] == split
    )


def catalogue_examples() -> list[Example]:
    """One example per active procedure: its name and the names of its results.

    The results carry the words citizens use ("Giấy khai sinh", "Thẻ căn cước") where the name
    does not, and some names say nothing ("Công bố Danh mục và Quy trình nội bộ…").
    """
    results: defaultdict[int, list[str]] = defaultdict(list)
    for procedure_id, name in ResultDocument.objects.filter(
        procedure__active=True, procedure__sector__isnull=False
    ).values_list("procedure_id", "name"):
        if name not in results[procedure_id]:
            results[procedure_id].append(name)
    return [
        Example(". ".join([name, *results[pk]]), sector)
        for pk, name, sector in Procedure.objects.filter(active=True, sector__isnull=False)
        .order_by("code")
        .values_list("pk", "name", "sector__name")
    ]


def _tickets() -> Any:
    """The Ticket model's routed rows, or None where the hotline has no tickets (yet)."""
    if not apps.is_installed("motcua.hotline"):
        return None
    try:
        from motcua.hotline.models import Ticket
    except ImportError:
        return None
    return Ticket.objects.filter(sector__isnull=False)


def ticket_examples() -> list[Example]:
    """The most recent ``TRAINING_TICKETS`` routed tickets, oldest first."""
    tickets = _tickets()
    if tickets is None:
        return []
    recent = tickets.order_by("-pk").values_list("subject", "body", "sector__name")
    return [
        # A subject made from the body's first line would count those words twice.
        Example(
            body if body.startswith(subject.rstrip("…")) else f"{subject}. {body}",
            sector,
            TICKET_WEIGHT,
        )
        for subject, body, sector in reversed(recent[:TRAINING_TICKETS])
    ]


def sector_agencies() -> dict[int, tuple[int | None, str | None]]:
    """Sector id → (agency id, name) most often responsible; (None, None) for the commune.

    From the catalogue: the competent agency of the sector's procedures (else the implementing
    one), a commune procedure without either counting for the commune. Where operators have
    routed tickets of a sector, where they sent most of them wins: they know the province.
    """
    counts: defaultdict[int, Counter[tuple[int | None, str | None]]] = defaultdict(Counter)
    for sector_id, competent, competent_name, implementing, implementing_name, commune in (
        Procedure.objects.filter(active=True, sector__isnull=False)
        .order_by("code")
        .values_list(
            "sector_id",
            "competent_agency_id",
            "competent_agency__name",
            "implementing_agency_id",
            "implementing_agency__name",
            "at_commune",
        )
    ):
        if competent is not None:
            counts[sector_id][(competent, competent_name)] += 1
        elif implementing is not None:
            counts[sector_id][(implementing, implementing_name)] += 1
        elif commune:
            counts[sector_id][(None, None)] += 1
    tickets = _tickets()
    if tickets is not None:
        routed: defaultdict[int, Counter[tuple[int | None, str | None]]] = defaultdict(Counter)
        for sector_id, agency_id, agency_name in (
            tickets.filter(agency__isnull=False)
            .order_by("pk")
            .values_list("sector_id", "agency_id", "agency__name")
        ):
            routed[sector_id][(agency_id, agency_name)] += 1
        counts.update(routed)
    return {sector_id: c.most_common(1)[0][0] for sector_id, c in counts.items()}


def fingerprint() -> tuple[tuple[object, ...], tuple[object, ...]]:
    """(catalogue, routed tickets): each changes when its rows do (counts, ids, sums: cheap)."""
    tickets = _tickets()
    routed: tuple[object, ...] = ()
    if tickets is not None:
        summary = tickets.aggregate(
            n=Count("id"), last=Max("id"), sectors=Sum("sector_id"), agencies=Sum("agency_id")
        )
        routed = (summary["n"], summary["last"], summary["sectors"], summary["agencies"])
    return catalogue_fingerprint(), routed


# What citizens tell the hotline in words no procedure uses, → the catalogue's words for the
# same thing; on top of the procedure search's everyday words (``COLLOQUIAL``). Reports of a
# problem ("ô nhiễm", "ổ gà") more than requests for a procedure: those the search covers.
HOTLINE_WORDS: dict[str, tuple[str, ...]] = {
    # Southern speech ("lãnh" for lĩnh is in COLLOQUIAL already).
    "khai sanh": ("khai sinh",),
    "nhận cha": ("nhận cha, mẹ, con",),
    "nhận mẹ": ("nhận cha, mẹ, con",),
    "ly hôn": ("ghi vào sổ hộ tịch việc ly hôn",),
    # Land: a sale on a handwritten paper, a neighbour's encroachment, compensation.
    "giấy tay": ("chuyển nhượng quyền sử dụng đất",),
    "lấn ranh": ("tranh chấp đất đai",),
    "lấn đất": ("tranh chấp đất đai",),
    "đền bù": ("bồi thường", "thu hồi đất"),
    "giải tỏa": ("thu hồi đất",),
    # Roads in poor repair.
    "ổ gà": ("đường bộ",),
    "hư đường": ("đường bộ",),
    "hư hỏng đường": ("đường bộ",),
    "lòng đường": ("lòng đường, vỉa hè",),
    # Pollution and waste.
    "ô nhiễm": ("môi trường",),
    "xả thải": ("nước thải", "môi trường"),
    "nước thải": ("môi trường",),
    # Not "khói" alone: folded it is also "khởi" (kiện) and "khỏi".
    "khói bụi": ("ô nhiễm không khí", "môi trường"),
    "khói đen": ("ô nhiễm không khí", "môi trường"),
    "bốc khói": ("ô nhiễm không khí", "môi trường"),
    "bụi": ("ô nhiễm không khí", "môi trường"),
    "hôi thối": ("ô nhiễm môi trường",),
    "tiếng ồn": ("ô nhiễm môi trường",),
    "rác": ("chất thải rắn", "môi trường"),
    # Storms and floods.
    "lũ": ("phòng, chống thiên tai",),
    # Not "bão" alone: folded it is also "bảo" (hiểm, vệ, đảm).
    "mưa bão": ("phòng, chống thiên tai",),
    "bão lũ": ("phòng, chống thiên tai",),
    "bão số": ("phòng, chống thiên tai",),
    "lốc xoáy": ("phòng, chống thiên tai",),
    # Livestock and its diseases: the catalogue says "lợn", "gia cầm", "động vật".
    "heo": ("lợn", "động vật"),
    "gà vịt": ("gia cầm", "động vật"),
    "dịch bệnh": ("dịch bệnh động vật",),
    "lò mổ": ("giết mổ động vật", "kiểm soát giết mổ"),
    # Fishing.
    "đánh bắt": ("khai thác thủy sản",),
    "bắt cá": ("khai thác thủy sản",),
    "chích điện": ("khai thác thủy sản", "tận diệt"),
    "nuôi cá": ("nuôi trồng thủy sản",),
    # People with merit to the revolution and their families.
    "liệt sĩ": ("người có công", "liệt sĩ"),
    "thương binh": ("người có công", "thương binh"),
    "da cam": ("chất độc hóa học", "người có công"),
    "mẹ việt nam anh hùng": ("người có công",),
    "kháng chiến": ("người có công", "kháng chiến"),
    # Health insurance: buying a card, treatment away from the registered hospital.
    "mua bhyt": ("đăng ký đóng bhyt", "cấp thẻ bhyt"),
    "mua bảo hiểm y tế": ("đăng ký đóng bhyt", "cấp thẻ bhyt"),
    "trái tuyến": ("thanh toán trực tiếp chi phí khám, chữa bệnh bhyt",),
    "khám ban đầu": ("điều chỉnh thông tin trên thẻ bhyt",),
    # Small shops are household businesses.
    "mở tiệm": ("đăng ký hộ kinh doanh",),
    "mở quán": ("đăng ký hộ kinh doanh",),
    "buôn bán nhỏ": ("hộ kinh doanh",),
    "hóa đơn": ("hóa đơn", "thuế"),
    # Police matters in everyday words.
    "visa": ("thị thực",),
    "pccc": ("phòng cháy và chữa cháy",),
    "cháy nổ": ("phòng cháy và chữa cháy",),
    "giếng khoan": ("khai thác nước dưới đất",),
    "khoan giếng": ("khai thác nước dưới đất",),
    "nước ngầm": ("nước dưới đất",),
    "chặt cây": ("chặt hạ cây xanh",),
}


def featurizer() -> Featurizer:
    return Featurizer(synonyms={**COLLOQUIAL, **HOTLINE_WORDS})


def build() -> Router:
    """Train on the catalogue, the shipped messages' train split and the routed tickets.

    Shipped messages whose sector is not in this catalogue are left out: another province's
    catalogue may name its sectors differently.
    """
    sector_ids = dict(Sector.objects.values_list("name", "pk"))
    shipped = [e for e in labelled("train") if e.label in sector_ids]
    classifier = train(
        catalogue_examples(),
        asked=[*shipped, *ticket_examples()],
        featurizer=featurizer(),
    )
    return Router(classifier=classifier, sector_ids=sector_ids, agencies=sector_agencies())
