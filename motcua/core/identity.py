"""The province's identity as its pages show it: name, emblem, address, hotline and footer,
configured in the environment (``MOTCUA_PROVINCE_*``, README "Configuration") so another
province runs the same code under its own name. The base template puts it in every page's
header and footer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static


@dataclass(frozen=True)
class ProvinceIdentity:
    name: str
    emblem_url: str
    address: str
    hotline: str
    email: str
    footer: str

    @property
    def hotline_tel(self) -> str:
        """The hotline as a ``tel:`` link dials it: digits only."""
        return "".join(ch for ch in self.hotline if ch.isdigit() or ch == "+")


def province_identity() -> ProvinceIdentity:
    emblem = settings.MOTCUA_PROVINCE_EMBLEM
    return ProvinceIdentity(
        name=settings.MOTCUA_PROVINCE_NAME,
        # A path on this site is used as it is; anything else names a static file.
        emblem_url=emblem if emblem.startswith("/") else static(emblem),
        address=settings.MOTCUA_PROVINCE_ADDRESS,
        hotline=settings.MOTCUA_PROVINCE_HOTLINE,
        email=settings.MOTCUA_PROVINCE_EMAIL,
        footer=settings.MOTCUA_PROVINCE_FOOTER,
    )


def province(request: HttpRequest) -> dict[str, object]:
    """``province``: the identity, for the base template."""
    return {"province": province_identity()}
