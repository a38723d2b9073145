"""The labelled hotline messages, by sector, as citizens write them (see ../README.md).
Keys are the exact ``Sector.name`` of the national catalogue."""

from . import business_and_welfare, land_water_and_justice, people

MESSAGES: dict[str, list[str]] = {
    **people.MESSAGES,
    **business_and_welfare.MESSAGES,
    **land_water_and_justice.MESSAGES,
}
