"""One package per external system the product talks to (docs/architecture.md "Layout")."""
