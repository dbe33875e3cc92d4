"""The `anthology` command line. Each command parses options, calls the library, picks a reporter.

Heavy libraries (pandoc, WeasyPrint, git) are imported inside the commands that need them, so
`anthology validate` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import AnthologyError

F = Callable[..., Any]
REPORT_FORMATS = ("text", "json", "github")  # reporters/ (not imported here: validate starts fast)


def root_option(func: F) -> F:
    """--root DIR, shared by every command."""
    return click.option(
        "--root",
        type=click.Path(path_type=Path),
        default=Path("."),
        show_default=True,
        help="The book's folder (holds book.yaml).",
    )(func)


def report_options(func: F) -> F:
    """--format and --strict, shared by the commands that print diagnostics."""
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(REPORT_FORMATS),
        default="text",
        show_default=True,
        help="text for people, json for tools, github for workflow annotations.",
    )(func)
    return click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")(func)


def use_color() -> bool:
    """Colour only on a terminal, never with NO_COLOR set."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def print_report(report: Any, fmt: str, strict: bool) -> None:
    """Print a report in the chosen format and exit with the contract's code."""
    from .reporters import render

    click.echo(render(fmt, report, color=use_color()), nl=False)
    sys.exit(report.exit_code(strict))


def chapter_paths(root: Path, paths: tuple[Path, ...]) -> list[str]:
    """Command-line paths (relative to the working directory) as chapter paths relative to the root."""
    real_root = root.resolve()
    result = []
    for path in paths:
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as error:  # a symlink loop
            raise AnthologyError(f"{path}: {error}", "Name a chapter file, e.g. chapters/my-chapter.md.") from None
        if not real.is_file():
            raise AnthologyError(f"{path}: no such file", "Name a chapter file, e.g. chapters/my-chapter.md.")
        if not real.is_relative_to(real_root / "chapters"):
            raise AnthologyError(f"{path} is not a chapter of the book in {root}", "Name a file under chapters/.")
        result.append(real.relative_to(real_root).as_posix())
    return result


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anthology")
def main() -> None:
    """Turn many authors' Markdown chapters into a book: check it, build it, review pull requests."""
    collect_garbage_less_often()


GARBAGE_THRESHOLD = 50_000  # new container objects between young-generation collections (Python: 700)


def collect_garbage_less_often() -> None:
    """Let Python's cycle collector run every 50,000 new objects instead of every 700.

    A command is a short process that makes millions of objects (WeasyPrint's boxes, pikepdf's
    objects) and few reference cycles: the collector ran 470 times in a one-chapter rebuild
    (0.15 s of the main process) and took 5 % of the layout workers' time, which inherit the
    setting. Memory freed by reference counting is unaffected.
    """
    import gc

    gc.set_threshold(GARBAGE_THRESHOLD, 20, 20)


@main.command()
@root_option
@report_options
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(root: Path, fmt: str, strict: bool, paths: tuple[Path, ...]) -> None:
    """Check the whole book, or only the chapters named in PATHS and their authors.

    Exit 0 when clean, 1 when the book has problems, 2 when it cannot be read.
    """
    from .load import load_book
    from .validate import validate as run

    book = load_book(root)
    only = chapter_paths(root, paths) if paths else None
    print_report(run(book, only), fmt, strict)


def catalogue() -> dict[str, Any]:
    """Every documented code: the modules that hold checks register theirs when imported."""
    from . import build, pull_request, rules  # noqa: F401  (imported for their registrations)
    from .catalogue import ordered
    from .printing import preflight  # noqa: F401

    return {entry.code: entry for entry in ordered()}


@main.command(name="rules")
def list_rules() -> None:
    """List every check with its code, severity and summary."""
    for rule in catalogue().values():
        click.echo(f"{rule.code}  {rule.severity.value:<7}  {rule.name:<28} {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain one check, e.g. `anthology explain L001`."""
    rule = catalogue().get(code.upper())
    if rule is None:
        raise AnthologyError(f"No rule {code!r}", "Run 'anthology rules' to list them.")
    click.echo(f"{rule.code} {rule.name} ({rule.severity.value})\n\n{rule.doc}")


@main.command()
@root_option
@click.option(
    "--format",
    "formats",
    type=click.Choice(["pdf", "epub", "html", "print", "site"]),
    multiple=True,
    help="Edition to build (repeatable). Default: pdf and epub. print: <slug>-interior.pdf and <slug>-cover.pdf; "
    "site: a web edition in OUT/site/.",
)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Output folder. Default: ROOT/build.")
@click.option("--draft", is_flag=True, help="Build even when the book has errors; every page is marked DRAFT.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes. Default: the machine's cores."
)
@click.option("--clean", is_flag=True, help="Ignore the cache in OUT/.cache and rebuild everything.")
@click.option(
    "--report",
    "report_fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="How problems (validation, page budget, print preflight) are printed, on standard error.",
)
def build(
    root: Path,
    formats: tuple[str, ...],
    out: Path | None,
    draft: bool,
    quiet: bool,
    strict: bool,
    jobs: int | None,
    clean: bool,
    report_fmt: str,
) -> None:
    """Build build/<slug>.pdf and build/<slug>.epub (and manifest.json and SHA256SUMS).

    A book with errors is refused (exit 1) unless --draft. Warns when the previous build in the
    output folder was made with other tool versions or fonts (see its manifest.json).
    """
    from .build import build as run
    from .load import load_book
    from .reporters import render

    terminal = sys.stderr.isatty()

    def progress(stage: str, transient: bool = False) -> None:
        """On a terminal, one line rewritten in place; in CI, one plain line per stage."""
        if quiet or (transient and not terminal):
            return
        click.echo(f"\r\033[K· {stage}…" if terminal else stage, err=True, nl=not terminal)

    book = load_book(root)
    result = run(book, out or root / "build", formats or ("pdf", "epub"), draft, progress, jobs, clean)
    if terminal and not quiet:
        click.echo("\r\033[K", err=True, nl=False)
    if result.report.diagnostics and not (quiet and not result.report.errors):
        click.echo(render(report_fmt, result.report, color=use_color()), nl=False, err=True)
    if result.refused:
        click.echo("Not built: fix the errors above, or build anyway with --draft.", err=True)
        sys.exit(1)
    if result.changes and not quiet:
        click.echo("warning: the previous build here used other tools or fonts; lines and pages may move:", err=True)
        click.echo("".join(f"  {change}\n" for change in result.changes), nl=False, err=True)
    for output in result.outputs:
        if not quiet:
            pages = f"{output.pages} pages, " if output.pages else ""
            click.echo(f"{output.path}  ({pages}{output.size / 1024:,.0f} KiB)")
    sys.exit(result.report.exit_code(strict))


@main.command()
@root_option
@click.argument("directory", metavar="[DIR]", type=click.Path(path_type=Path), required=False)
@click.option(
    "--title", default=None, help="The book's title (default: 'A New Anthology'; change it in book.yaml later)."
)
@click.option(
    "--force", is_flag=True, help="Add the missing files to a non-empty folder; existing files are never changed."
)
def init(root: Path, directory: Path | None, title: str | None, force: bool) -> None:
    """Create a new book repository in DIR (relative to --root; default: --root itself): book.yaml,
    authors.yaml, an example chapter, a contributor guide, the CI workflow, and a first commit."""
    from .new_book import DEFAULT_TITLE, init_book

    directory = root / directory if directory is not None else root
    result = init_book(directory, title if title is not None else DEFAULT_TITLE, force)
    for relative in result.created:
        click.echo(f"created  {relative}")
    for relative in result.skipped:
        click.echo(f"skipped  {relative} (exists; left unchanged)")
    if result.commit:
        click.echo(f"Committed the new files as {result.commit[:10]}.")
    elif result.no_commit_reason:
        click.echo(f"No commit: {result.no_commit_reason}.", err=True)
    click.echo(
        f"\nNext: cd {directory}, edit book.yaml (title, editors, maintainers), run 'anthology validate',\n"
        "push to GitHub, and point your authors to CONTRIBUTING.md."
    )


@main.command()
@root_option
@click.argument("author_id", metavar="ID")
@click.option("--name", required=True, help='The author\'s name as printed, e.g. --name "Jane Doe".')
@click.option("--section", default=None, help="The section (part) of book.yaml the chapter belongs to.")
@click.option("--github", default=None, help="The author's GitHub login.")
def new(root: Path, author_id: str, name: str, section: str | None, github: str | None) -> None:
    """Add author ID to authors.yaml and create the chapter stub chapters/ID.md.

    Exit 1, changing nothing, when the id is taken or malformed or authors.yaml cannot be read.
    """
    from .new_author import add_author

    added = add_author(root, author_id, name, section, github)
    click.echo(f"Added '{added.author_id}' to authors.yaml (line {added.entry_line}) and created {added.chapter}.")
    for note in added.notes:
        click.echo(f"note: {note}", err=True)
    click.echo("Next: write the bio in authors.yaml and the chapter in its file, then run 'anthology validate'.")


@main.command()
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table for a terminal, csv or json for tools, markdown for a GitHub job summary.",
)
@click.option("--missing", is_flag=True, help="Only authors whose chapter has not arrived.")
@click.option("--problems", is_flag=True, help="Only authors over a limit or with other errors.")
@click.option("--author", "author_id", metavar="ID", default=None, help="Only this author's row.")
def status(root: Path, fmt: str, missing: bool, problems: bool, author_id: str | None) -> None:
    """One row per author: chapter, words, bio, state, first and last change (from git), GitHub login.

    Dates are blank outside a git repository. Always exits 0 once the book is read.
    """
    from .rules.ids import did_you_mean
    from .status import gather, render, select

    everything = gather(root)
    known = {row.author for row in everything.rows}
    if author_id is not None and author_id not in known:
        raise AnthologyError(f"No author '{author_id}' in authors.yaml", did_you_mean(author_id, known, ""))
    click.echo(render(fmt, select(everything, missing, problems, author_id)), nl=False)


@main.command(name="check-pr")
@root_option
@report_options
@click.option("--base", required=True, metavar="REF", help="The branch the pull request goes into, e.g. origin/main.")
@click.option("--head", default="HEAD", show_default=True, metavar="REF", help="The pull request's last commit.")
@click.option(
    "--author",
    "login",
    metavar="LOGIN",
    default=None,
    help="The pull request author's GitHub login. Default: from GitHub Actions (the event's PR author, else GITHUB_ACTOR).",
)
def check_pr(root: Path, fmt: str, strict: bool, base: str, head: str, login: str | None) -> None:
    """Check that a pull request changes only its author's own files, and that they validate.

    Exit 0 when clean, 1 when it touches others' files or has problems, 2 when it cannot be checked.
    """
    from .pull_request import check_pull_request, login_from_environment

    login = login or login_from_environment()
    if not login:
        raise AnthologyError(
            "Whose pull request is this? No --author given and no GitHub Actions environment found",
            "Pass --author LOGIN (the author's GitHub login).",
        )
    print_report(check_pull_request(root, base, login, head), fmt, strict)


@main.command()
@root_option
@click.argument("chapter", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Output folder. Default: ROOT/build.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes. Default: the machine's cores."
)
def proof(root: Path, chapter: Path, out: Path | None, jobs: int | None) -> None:
    """Typeset CHAPTER exactly as it will appear in the book: build/proofs/ID.pdf and a PNG per page.

    Same design, page size and page numbers as the book. Pages say DRAFT while the chapter has errors.
    """
    from .load import load_book
    from .proof import proof as run
    from .reporters import render

    book = load_book(root)
    [path] = chapter_paths(root, (chapter,))
    found = next((c for c in book.chapters if c.path == path), None)
    if found is None:
        raise AnthologyError(f"{chapter} could not be read as a chapter", f"Run 'anthology validate {chapter}'.")
    result = run(book, found, out or root / "build", jobs)
    if result.report.diagnostics:
        click.echo(render("text", result.report, color=use_color()), nl=False, err=True)
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
    click.echo(f"{result.pdf}  ({pages} from page {result.first_folio})")
    for png in result.pngs:
        click.echo(f"{png}")


@main.command()
@root_option
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="Output folder to check. Default: ROOT/build."
)
def doctor(root: Path, out: Path | None) -> None:
    """Check that this machine can build the book: Python, Pango, HarfBuzz, WeasyPrint, pandoc, a
    font for every script the book uses, Java (tests only), write access to the output folder.

    Prints the install command for what is missing. Exit 0 when the book can be built, 1 when
    something it needs is missing, 2 when the book cannot be read.
    """
    from .doctor import examine, render
    from .load import load_book

    checks = examine(load_book(root), out or root / "build")
    click.echo(render(checks), nl=False)
    sys.exit(1 if any(check.failed and check.blocks for check in checks) else 0)


@main.command()
@root_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to serve on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any other than 127.0.0.1 lets other computers read the book.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the conversion cache and proofs go. Default: ROOT/build.",
)
def preview(root: Path, port: int, host: str, open_browser: bool, out: Path | None) -> None:
    """Serve the book at http://127.0.0.1:8000/ and show every save at once.

    Pages reload by themselves when a chapter, authors.yaml or book.yaml is saved, with the
    current diagnostics on each chapter's page and a print view of its typeset pages. Ctrl-C stops.
    """
    from .preview import start

    running = start(root, out or root / "build", host, port, lambda line: click.echo(line, err=True))
    try:
        click.echo(f"Previewing {root.resolve()} at {running.url}  (Ctrl-C stops)")
        if open_browser:
            import webbrowser

            webbrowser.open(running.url)
        running.stopped.wait()
    except KeyboardInterrupt:
        click.echo("\nStopping.", err=True)
    finally:
        running.stop()
