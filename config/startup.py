"""What a process that serves requests starts as it starts, so no request waits for it.

The procedure search index and the hotline routing model are built on threads of their own
(``motcua.catalog.search.store``, ``motcua.hotline.routing``); a request that comes before
they are ready is answered by the plain database search and the catalogue's sectors
(docs/decisions/search.md). Commands, task workers and tests do not call this: there the
first use builds them on its own thread, off any request.
"""

from __future__ import annotations

import threading


def warm_up() -> list[threading.Thread]:
    """Start building the search index and training the routing model; their threads."""
    from motcua.catalog.search import store
    from motcua.hotline import routing

    # One after the other: each is pure Python, and a request shares the interpreter with them.
    index = store.build_in_background()
    return [index, routing.train_in_background(after=index)]
