"""Open311 GeoReport v2 at /open311/v2/ (docs/rules/api.md "Open311 GeoReport v2")."""
