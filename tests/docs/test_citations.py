"""What the code and the docs cite is in the repository (docs/rules/README.md).

Every Python, Markdown, text and template file of the project is read for citations a reader
of the repository alone could not follow: planning notes kept outside it (a ``*.md`` of the
planning set, a ``shared/`` folder beside the checkout), numbered issues and requirement ids,
``docs/...`` paths that name no file, quoted sections missing from the page they are said to
be in, and Markdown links (with their ``#anchors``) that lead nowhere. A failure names each
place, so the citation can be pointed at the page under ``docs/`` that states the rule.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = {".py", ".md", ".txt", ".html", ".toml"}
NOT_SOURCES = {".git", ".venv", "venv", "node_modules", "artifacts", "__pycache__", "build"}

# Documents that live outside the repository, and ways of pointing at them.
OUTSIDE = [
    (re.compile(r"(?<![\w./-])(?:DOMAIN|API|MISSION|DESIGN|STYLE)\.md\b"), "a planning note"),
    (re.compile(r"\b(?:DOMAIN|MISSION|DESIGN|STYLE)(?:'s)? (?:rules?|M\d+)\b"), "a planning note"),
    (re.compile(r"(?<![\w./-])(?:\.\./)*shared/"), "a folder outside the repository"),
    (re.compile(r"(?<![\w.-])/work/"), "a path on one machine"),
    (re.compile(r"\b[Ii]ssues? #?\d+"), "a numbered issue"),
    (re.compile(r"\(M(?:1[0-6]|[1-9])[,)]"), "a requirement id"),
]
DOCS_PATH = re.compile(r"(?<![\w./-])docs/[\w./-]*[\w/]")
# A quoted section right after a cited page, possibly across one line break of a comment or
# docstring: docs/security.md "Bad input".
_BREAK = r"(?:\n[ \t]*(?:#[ \t]*)?)"
SECTION = re.compile(rf'`?[ \t]*{_BREAK}?"([^"\n]+(?:{_BREAK}[^"\n]+)?)"')
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
MD_RELATIVE = re.compile(r"`(\.\.?/[^`\s]+\.md)`")


def _listed_by_git() -> list[str] | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        listed = subprocess.run(  # noqa: S603 - fixed arguments
            [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None  # not a checkout (an unpacked release): walk the tree instead
    return [name for name in listed.stdout.decode().split("\0") if name]


def project_files() -> Iterator[Path]:
    names = _listed_by_git()
    if names is None:
        paths: Iterator[Path] = (
            p
            for p in ROOT.rglob("*")
            if not NOT_SOURCES.intersection(p.relative_to(ROOT).parts) and p.is_file()
        )
    else:
        paths = (ROOT / name for name in names)
    for path in sorted(paths):
        if path.suffix in SCANNED and path != Path(__file__).resolve() and path.is_file():
            yield path


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@cache
def page_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    headings = re.findall(r"^#{1,6}[ \t]+(.+?)[ \t]*#*$", page_text(path), flags=re.MULTILINE)
    return frozenset(slug(h) for h in headings)


def target_problem(target: Path, *, anchor: str = "", section: str = "") -> str | None:
    if not target.exists():
        return "no such file in the repository"
    if target.is_file() and target.suffix == ".md":
        if anchor and anchor not in anchors(target):
            return f"no heading for #{anchor}"
        words = " ".join(page_text(target).split()).casefold()
        if section and section.casefold() not in words:
            return f'no section "{section}" in it'
    return None


def problems_in(text: str, *, where: str, folder: Path, markdown: bool) -> Iterator[str]:
    """What in ``text`` (of the file ``where``, in ``folder``) cannot be followed."""
    for pattern, what in OUTSIDE:
        for match in pattern.finditer(text):
            yield f"{where}:{line_of(text, match.start())}: {match.group(0)!r} cites {what}"
    for match in DOCS_PATH.finditer(text):
        cited = match.group(0)
        quoted = None if markdown else SECTION.match(text, match.end())
        section = " ".join(re.sub(_BREAK, " ", quoted.group(1)).split()) if quoted else ""
        problem = target_problem(ROOT / cited, section=section)
        if problem:
            yield f"{where}:{line_of(text, match.start())}: {cited}: {problem}"
    if not markdown:
        return
    links = [(m.start(), m.group(1)) for m in MD_LINK.finditer(text)]
    links += [(m.start(), m.group(1)) for m in MD_RELATIVE.finditer(text)]
    for offset, link in links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("/"):
            continue  # a web address or an address of the product, not a file
        name, _, anchor = link.partition("#")
        problem = target_problem((folder / name).resolve(), anchor=anchor)
        if problem:
            yield f"{where}:{line_of(text, offset)}: {link}: {problem}"


def test_citations_lead_to_pages_in_the_repository() -> None:
    problems = [
        problem
        for path in project_files()
        for problem in problems_in(
            page_text(path),
            where=path.relative_to(ROOT).as_posix(),
            folder=path.parent,
            markdown=path.suffix == ".md",
        )
    ]
    assert not problems, "Citations a reader of the repository cannot follow:\n" + "\n".join(
        problems
    )


def test_the_scan_sees_the_code_and_the_docs() -> None:
    scanned = {path.relative_to(ROOT).as_posix() for path in project_files()}
    assert {"docs/rules/README.md", "motcua/dossiers/status.py", "config/api.py"} <= scanned


def test_the_scan_names_each_kind_of_citation() -> None:
    code = (
        '"""Due moments (DOMAIN.md "Deadlines", DESIGN rule 4, issue 4, item 1, (M15)).\n'
        'See ../shared/API.md, docs/rules/nowhere.md, docs/rules/deadlines.md "Hotline\n'
        'tickets", and docs/rules/api.md\n"No such section"."""\n'
    )
    found = "\n".join(problems_in(code, where="sample.py", folder=ROOT, markdown=False))
    for expected in (
        "'DOMAIN.md' cites a planning note",
        "'DESIGN rule' cites a planning note",
        "'issue 4' cites a numbered issue",
        "'(M15)' cites a requirement id",
        "'../shared/' cites a folder outside the repository",
        "docs/rules/nowhere.md: no such file",
        'docs/rules/api.md: no section "No such section"',
    ):
        assert expected in found, found
    assert "deadlines.md" not in found  # a section quoted across a line break is found

    page = "[the rules](../rules/README.md#glossary), [gone](gone.md), [x](api.md#nowhere)\n"
    found = "\n".join(
        problems_in(page, where="docs/rules/x.md", folder=ROOT / "docs" / "rules", markdown=True)
    )
    assert "glossary" not in found
    assert "gone.md: no such file" in found
    assert "api.md#nowhere: no heading for #nowhere" in found
