"""The clerks' back office: one module per screen, server-rendered, enhanced with htmx."""
