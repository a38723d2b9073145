"""Pure parsing layer of the national procedure catalogue importer (no Django, no database).

``read_records`` turns an export file into dicts with the national field names;
``parse_record`` turns one such dict into a ``ParsedProcedure``. docs/import-format.md
describes the accepted files and the parsing rules.
"""

from .parse import ParsedProcedure, ParseProblem, RecordError, parse_record
from .readers import ImportFileError, read_records

__all__ = [
    "ImportFileError",
    "ParseProblem",
    "ParsedProcedure",
    "RecordError",
    "parse_record",
    "read_records",
]
