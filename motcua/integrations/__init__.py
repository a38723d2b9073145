"""One package per external system the product talks to (DESIGN.md "Layout")."""
