"""The keys each file may hold, their types, and which are required: one table per file.

The loader reads values through these tables, and the schema rules (S001-S003) report what
does not fit them, so the contract's key tables live in exactly one place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .sources import YamlList, YamlMap


@dataclass(frozen=True)
class Spec:
    """The expected shape of a value, and what the format reference (docs/format.md) says of it.

    kind: "str", "int", "bool", "number", "list", "map" (free keys), "record" (fixed keys);
    `str` accepts numbers when `numeric_ok` (an unhyphenated ISBN is a number in YAML).
    `doc`, `default` and `example` are the key's documentation, in the words of editors and
    authors: what it means, what applies when it is absent (as written in the file, or in
    words), and a value as it would be written (a record's example also serves its keys).
    `keys_are` names the free keys of a "map" (`chapter-id`).
    """

    kind: str
    items: Spec | None = None
    fields: dict[str, tuple[Spec, bool]] = field(default_factory=dict)
    numeric_ok: bool = False
    alternatives: tuple[Spec, ...] = ()
    doc: str = ""
    default: str = ""
    example: Any = None
    keys_are: str = "key"

    def about(self, doc: str, default: str = "", example: Any = None) -> Spec:
        """This shape, documented: `TEXT.about("The book's title.", example="The Age of Conversation")`."""
        return replace(self, doc=doc, default=default, example=example)

    def describe(self) -> str:
        if self.alternatives:
            return " or ".join(alt.describe() for alt in self.alternatives)
        names = {"str": "text", "int": "a whole number", "bool": "true or false", "number": "a number"}
        if self.kind == "list":
            return "a list"
        if self.kind in ("map", "record"):
            return "a mapping of keys to values"
        return names[self.kind]


TEXT = Spec("str")
INT = Spec("int")
BOOL = Spec("bool")
TEXT_LIST = Spec("list", items=TEXT)


def record(required: dict[str, Spec] | None = None, optional: dict[str, Spec] | None = None) -> Spec:
    fields = {name: (spec, True) for name, spec in (required or {}).items()}
    fields.update({name: (spec, False) for name, spec in (optional or {}).items()})
    return Spec("record", fields=fields)


def one_of(*alternatives: Spec) -> Spec:
    return Spec(alternatives[0].kind, alternatives=alternatives)


AUTHOR = record(
    required={
        "name": TEXT.about(
            "The name as printed, in any script. Write it as the author writes it.", example="Jan van der Berg"
        ),
        "bio": TEXT.about(
            "One short paragraph about the author, printed with their chapter or among the contributors. "
            "*Italics*, **bold** and links are allowed; at most `limits.bio_words.max` words.",
            example="Jan van der Berg writes about bicycles and the people who repair them.",
        ),
    },
    optional={
        "sort_as": TEXT.about(
            "How the name is sorted in the Index of Authors, when the [rule](#the-author-index) gets it wrong.",
            default="derived from the name",
            example="Berg, Jan van der",
        ),
        "website": TEXT.about(
            "A web address starting with `https://` or `http://`, printed with the bio.",
            example="https://jan.example.org",
        ),
        "social": TEXT.about("A social-media handle or address, printed with the bio.", example="@jan@example.social"),
        "github": TEXT.about(
            "The author's GitHub login: the one account allowed to change this entry and their chapters "
            "in a pull request.",
            example="janvdberg",
        ),
        "email": TEXT.about(
            "For the editors only: never printed in the book, the e-book or any other output.",
            example="jan@example.org",
        ),
        "photo": TEXT.about(
            "A picture of the author, a file in `images/`, shown with the bio.", example="images/jan-van-der-berg.jpg"
        ),
        "affiliation": TEXT.about(
            "Where the author works or belongs, printed with the bio.", example="University of Utrecht"
        ),
        "lang": TEXT.about(
            "The language the name is written in, as a BCP 47 tag (`ja`, `zh-Hant`, `ko`, `fa`): it picks the "
            "glyph forms and the font variant of the name. Without it the language is guessed from the script "
            "and the book's language (see docs/languages.md).",
            default="guessed",
            example="ja",
        ),
    },
)
CHAPTER = record(
    required={
        "title": TEXT.about("The chapter's title, as printed and in the contents.", example="The First Pull Request"),
        "authors": one_of(TEXT_LIST, TEXT).about(
            "Who wrote the chapter: author ids from authors.yaml, in the order they are printed. "
            "A chapter written together lists several.",
            example=["marcus-webb"],
        ),
    },
    optional={
        "section": TEXT.about(
            "The section (part of the book) the chapter belongs to: one of the `id`s under `sections` in "
            "book.yaml. Required when the book has sections, not allowed when it has none.",
            default="none",
            example="gathering",
        ),
        "subtitle": TEXT.about("A second line under the chapter's title.", example="Notes from a first contribution"),
    },
)
PAGE = record(required={"title": TEXT.about("The page's title, as printed and in the contents.", example="Foreword")})
_RANGE = record(
    optional={
        "min": INT.about("The fewest words a chapter may have.", default="no minimum"),
        "max": INT.about("The most words a chapter may have.", default="no maximum"),
    }
)
BOOK = record(
    required={"title": TEXT.about("The book's title.", example="The Age of Conversation")},
    optional={
        "subtitle": TEXT.about(
            "A second line under the title.", example="Writing Together with People We Have Never Met"
        ),
        "editors": TEXT_LIST.about(
            'The editors\' names, printed on the title page ("Edited by …").',
            example=["Miriam Castellane", "Jo Adebayo"],
        ),
        "language": TEXT.about(
            "The book's language as a BCP 47 tag (`en`, `en-GB`, `pt-BR`, `zh-Hans`): it decides hyphenation "
            "and what e-readers announce.",
            default="`en`",
            example="en-GB",
        ),
        "isbn": Spec("str", numeric_ok=True).about(
            "The book's ISBN, with or without hyphens; its check digit is verified.", example="978-0-306-40615-7"
        ),
        "publisher": TEXT.about("Printed on the title and copyright pages.", example="Loose Leaf Commons Press"),
        "limits": record(
            optional={
                "chapter_words": _RANGE.about("How many words a chapter may have.", default="no limit"),
                "bio_words": record(
                    optional={"max": INT.about("The most words a bio may have.", default="no maximum")}
                ).about("How many words a bio may have.", default="no limit"),
                "chapter_pages": record(
                    optional={"max": INT.about("The most printed pages a chapter may fill.", default="no maximum")}
                ).about("A page budget, checked by `anthology build` (P001).", default="no limit"),
            }
        ).about(
            "The book's length limits.",
            default="no limits",
            example={"chapter_words": {"min": 100, "max": 400}, "bio_words": {"max": 60}, "chapter_pages": {"max": 2}},
        ),
        "sections": Spec(
            "list",
            items=record(
                required={
                    "id": TEXT.about("The name chapters use in their `section:`; lower case, words joined by hyphens."),
                    "title": TEXT.about("The section's title, printed on its part page and in the contents."),
                }
            ),
        ).about(
            "The parts of the book, in the order they are printed. Without sections the chapters follow "
            "each other directly.",
            default="none",
            example=[
                {"id": "gathering", "title": "Finding Each Other"},
                {"id": "craft", "title": "The Craft at a Distance"},
            ],
        ),
        "slug": TEXT.about(
            "The output files' name: `build/<slug>.pdf`, `build/<slug>.epub`. Lower case, words joined by hyphens.",
            default="the title, lower case, words joined by hyphens",
            example="age-of-conversation",
        ),
        "order": one_of(TEXT, TEXT_LIST).about(
            "The order of chapters inside each section: `author` (by the index key of each chapter's first "
            "author), `title`, or a list of chapter ids in the order wanted.",
            default="`author`",
            example="title",
        ),
        "front": TEXT_LIST.about(
            "Editors' pages before the chapters (a foreword, an introduction): Markdown files, in order.",
            default="none",
            example=["front/foreword.md"],
        ),
        "back": TEXT_LIST.about(
            "Editors' pages after the chapters (an afterword): Markdown files, in order.",
            default="none",
            example=["back/afterword.md"],
        ),
        "exceptions": Spec(
            "map",
            keys_are="chapter-id",
            items=record(
                optional={
                    "max_words": INT.about("The most words this chapter may have, instead of the book's limit."),
                    "min_words": INT.about(
                        "The fewest words this chapter may have, instead of the book's limit.", example=50
                    ),
                    "max_pages": INT.about("The most pages this chapter may fill, instead of the page budget."),
                }
            ).about("The exceptions granted to one chapter, under its id (its file name without `.md`)."),
        ).about(
            "Exceptions to the limits, granted by the editors to single chapters.",
            default="none",
            example={"the-long-goodbye": {"max_words": 800, "max_pages": 3}},
        ),
        # Extensions to the contract (listed in CHANGELOG).
        "maintainers": TEXT_LIST.about(
            "The editors' GitHub logins: only they may change book.yaml, `front/`, `back/` or the tooling "
            "in a pull request.",
            default="none",
            example=["mcastellane", "jadebayo"],
        ),
        "trim": TEXT.about(
            "The printed page size: `6x9`, `5.5x8.5`, `5x8`, `7x10`, `8.5x11` (or `letter`), `a5`, `a4`, `b5`, "
            "or width and height such as `6in 9in` or `148mm 210mm`.",
            default="`6x9`",
            example="a5",
        ),
        "numbered": BOOL.about('Whether chapters are numbered ("Chapter 7").', default="`true`", example=False),
        "bios": TEXT.about(
            "Where the bios are printed: `contributors` (in a Contributors section at the end), `chapter` "
            "(under each chapter, and in the Contributors section) or `both` (the same as `chapter`).",
            default="`contributors`",
            example="chapter",
        ),
        "cover": TEXT.about(
            "The e-book's cover picture, a file in `images/`.", default="none", example="images/cover.jpg"
        ),
        "rights": TEXT.about(
            "The licence line on the copyright page.",
            default="Each chapter © its author(s). All rights reserved.",
            example="This book is licensed under CC BY 4.0.",
        ),
        "edition": Spec("str", numeric_ok=True).about(
            "The edition, shown on the copyright page.", default="none", example="Second edition"
        ),
        "site_url": TEXT.about(
            "Where the web edition (`anthology build --format site`) is published, as a full `https://` address: "
            "its pages get canonical addresses and OpenGraph `og:url`, and the site a `sitemap.xml` (U003).",
            default="none",
            example="https://example.github.io/my-book/",
        ),
        "labels": Spec("map", items=TEXT).about(
            "Your own words for the words anthology prints (`contents`, `chapter`, `contributors`, `index`, "
            "`edited_by`, …), overriding the translation chosen by `language`; see docs/languages.md.",
            default="the book language's words",
            example={"contents": "Table of Contents", "chapter": "Essay {number}"},
        ),
        "direction": TEXT.about(
            "`rtl` or `ltr`: the writing direction of the whole book (pages, contents, running heads).",
            default="from `language` (`rtl` for ar, fa, he, ur)",
            example="rtl",
        ),
        "numerals": TEXT.about(
            "`latin` or `native`: the digits of page numbers and chapter numbers.",
            default="the language's usual digits (CLDR)",
            example="latin",
        ),
        "print": record(
            optional={
                "service": TEXT.about(
                    "The print-on-demand service: `kdp`, `lulu`, `ingram` or `generic`.",
                    default="`generic`",
                    example="kdp",
                ),
                "paper": TEXT.about(
                    "`white` or `cream`: the paper, which sets the spine's width.", default="`white`", example="cream"
                ),
                "binding": TEXT.about(
                    "`paperback` or `hardcover` (where the service offers it).",
                    default="`paperback`",
                    example="paperback",
                ),
                "bleed": BOOL.about(
                    "Whether pictures run to the page edge: adds 0.125 in on the outer edges.",
                    default="`false`",
                    example=True,
                ),
                "blurb": TEXT.about("The text on the back cover.", example="Forty voices on writing together."),
                "cover_image": TEXT.about(
                    "A picture for the front cover, a file in `images/`; without it the front is set in type.",
                    example="images/cover.jpg",
                ),
                "contributors": BOOL.about(
                    "Whether the back cover lists the contributors' names.", default="`false`", example=True
                ),
                "color_profile": TEXT.about(
                    "The printing condition's ICC profile (a printer's CMYK output profile, from the service), a file "
                    "in the book: with it the IngramSpark files declare PDF/X-4 for that condition.",
                    example="print/ingramspark-coated.icc",
                ),
            }
        ).about(
            "The printed edition: `anthology build --format print` writes the interior and the cover for this "
            "service. The book (the PDF too) is laid out with the service's margins when they are wider than "
            "the theme's at its page count.",
            default="the `generic` profile",
            example={"service": "kdp", "paper": "cream", "binding": "paperback"},
        ),
    },
)


@dataclass(frozen=True)
class Mismatch:
    """One place where a value does not fit its Spec."""

    code: str  # S001 missing, S002 wrong type, S003 unknown key
    line: int | None
    key: str
    message: str
    hint: str


def _type_ok(value: Any, spec: Spec) -> bool:
    if spec.alternatives:
        return any(_type_ok(value, alt) for alt in spec.alternatives)
    if spec.kind == "str":
        return isinstance(value, str) or (spec.numeric_ok and isinstance(value, int) and not isinstance(value, bool))
    if spec.kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if spec.kind == "bool":
        return isinstance(value, bool)
    if spec.kind == "list":
        return isinstance(value, list)
    return isinstance(value, dict)


def _chosen(value: Any, spec: Spec) -> Spec:
    for alt in spec.alternatives:
        if _type_ok(value, alt):
            return alt
    return spec


def suggest(word: str, known: list[str] | set[str]) -> str | None:
    """The closest known key to a misspelt one (`boi` -> `bio`), if any is close."""
    matches = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def mismatches(value: Any, spec: Spec, where: str, line: int | None) -> Iterator[Mismatch]:
    """Every way `value` does not fit `spec`; `where` names the value for messages."""
    if not _type_ok(value, spec):
        shown = "nothing" if value is None else f"{type(value).__name__.replace('Yaml', '').lower()}"
        yield Mismatch(
            "S002",
            line,
            where,
            f"'{where}' should be {spec.describe()}, not {shown}",
            f"Write '{where}' as {spec.describe()}.",
        )
        return
    spec = _chosen(value, spec)
    if spec.kind == "list" and spec.items is not None and isinstance(value, YamlList):
        for index, item in enumerate(value):
            yield from mismatches(item, spec.items, f"{where}[{index + 1}]", value.item_lines[index])
    elif spec.kind == "map" and spec.items is not None and isinstance(value, YamlMap):
        for key, item in value.items():
            yield from mismatches(item, spec.items, f"{where}.{key}", value.line_of(key))
    elif spec.kind == "record" and isinstance(value, YamlMap):
        yield from _record_mismatches(value, spec, where)


def _record_mismatches(value: YamlMap, spec: Spec, where: str) -> Iterator[Mismatch]:
    prefix = f"{where}." if where else ""
    for key, (field_spec, required) in spec.fields.items():
        if key not in value:
            if required:
                yield Mismatch(
                    "S001", value.line, prefix + key, f"Required key '{prefix}{key}' is missing", f"Add '{key}: …'."
                )
            continue
        if value[key] is None and not required:
            continue
        yield from mismatches(value[key], field_spec, prefix + key, value.line_of(key))
    for key in value:
        if key not in spec.fields:
            guess = suggest(key, set(spec.fields))
            hint = f"Did you mean '{guess}'?" if guess else "Allowed keys: " + ", ".join(spec.fields) + "."
            yield Mismatch("S003", value.line_of(key), prefix + key, f"Unknown key '{prefix}{key}'", hint)


def typed(value: Any, spec: Spec) -> Any:
    """`value` if it fits `spec` at the top level, else None: the loader never trusts a wrong type."""
    return value if value is not None and _type_ok(value, spec) else None
