"""The operators' and agencies' screens for the 1022 queue."""
