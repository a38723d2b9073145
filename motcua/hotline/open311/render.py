"""GeoReport v2's two formats: JSON, and the XML of the spec's examples.

Every answer is a list of records under a root element (``<services><service>…``,
``<service_requests><request>…``, ``<errors><error>…``) or, for discovery and a service
definition, one record that is itself the root. In XML a ``None`` is an empty element, a
boolean is ``true``/``false``, and a list inside a record is a wrapper element whose children
take the singular name (``<formats><format>…``, ``<attributes><attribute>…``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

# A list inside a record: the name of each of its items in XML.
_ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab and newlines,
# lone surrogates, U+FFFE/U+FFFF): a citizen's pasted text must not make the document invalid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Record = Mapping[str, Any]


def records(
    fmt: str, items: Sequence[Record], *, root: str, item: str, status: int = 200
) -> HttpResponse:
    """A list of records: a JSON array, or ``<root><item>…</item>…</root>``."""
    if fmt == XML:
        element = ET.Element(root)
        for record in items:
            element.append(_element(item, record))
        return _xml(element, status)
    return _json(list(items), status)


def record(fmt: str, data: Record, *, root: str, status: int = 200) -> HttpResponse:
    """One record: a JSON object, or ``<root>…</root>``."""
    if fmt == XML:
        return _xml(_element(root, data), status)
    return _json(dict(data), status)


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error answer: ``[{"code": 400, "description": "…"}]``."""
    items = [{"code": status, "description": text} for text in descriptions]
    return records(fmt, items, root="errors", item="error", status=status)


def _json(data: Any, status: int) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[JSON])


def _xml(element: ET.Element, status: int) -> HttpResponse:
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[XML])


def _element(name: str, value: Any) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, Mapping):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list | tuple):
        child_name = _ITEM_NAMES.get(name, "item")
        for child in value:
            element.append(_element(child_name, child))
    elif value is None:
        pass
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))
    return element
