"""The validators of the citizen profile's fields, under the name migration 0001 gives them.
The rules are ``core/id_numbers.py`` and ``core/phones.py``."""

from motcua.core.id_numbers import validate_id_number
from motcua.core.phones import validate_mobile

__all__ = ["validate_id_number", "validate_mobile"]
