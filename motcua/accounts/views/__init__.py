"""The citizen account pages under ``/tai-khoan/`` (see ``motcua.accounts.urls``)."""
