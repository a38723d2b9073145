"""SMS: a brandname gateway speaking the HTTP JSON protocol common to Vietnamese providers
(``transport.py`` describes it)."""
