"""The citizens' side of the hotline on the portal: the web form and the public Q&A."""
