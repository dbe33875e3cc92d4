"""What each print-on-demand service asks of a book's files, as data, with where each rule comes from.

All lengths are in inches. The services change their rules now and then: each value names the
page it was taken from, so it can be checked again. `generic` is for a printer that sends its
own specification: the common denominator of the three (even page count, 0.125 in bleed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SERVICES = ("kdp", "lulu", "ingram", "generic")
PAPERS = ("white", "cream")
BINDINGS = ("paperback", "hardcover")
BLEED = 0.125  # every service: 1/8 in beyond the trim on the outer edges (interior) and all round (cover)
BARCODE = (2.0, 1.2)  # width, height of the clear area a barcode is printed in
POINTS = 72.0  # PDF points per inch

KDP_HELP = "https://kdp.amazon.com/en_US/help/topic/G201834180"  # Set trim size, bleed and margins
KDP_COVER = "https://kdp.amazon.com/en_US/help/topic/G201953020"  # Create a paperback cover
KDP_OPTIONS = "https://kdp.amazon.com/en_US/help/topic/GVBQ3CMEQW3W6VPF"  # Print options (page counts, trims)
KDP_HARDCOVER = "https://kdp.amazon.com/en_US/help/topic/GDTKFJPNQCBTMRV6"  # Create a hardcover cover
LULU_GUIDE = "https://www.lulu.com/sell/resources/book-creation-guide"  # Book Creation Guide (2021 PDF)
LULU_SPINE = "Lulu, 'Spine Width Calculator' PDF (lulu.com cover templates)"
INGRAM_GUIDE = "https://www.ingramspark.com/hubfs/downloads/file-creation-guide.pdf"  # File Creation Guide
INGRAM_SPINE = "Lightning Source spine calculator constants (50 lb paper 400 pages per inch, cover 0.025 in)"
LULU_CASEWRAP = (
    "https://help.lulu.com/en/support/solutions/articles/64000308572"  # Creating your hardcover casewrap cover
)
LULU_CASE_SPINE = (
    "https://help.api.lulu.com/en/support/solutions/articles/64000254616"  # How is spine width calculated?
)
LULU_CASE_SIZE = "https://connect.lulu.com/en/discussion/291366"  # 6x9 casewrap: book cover size 6.125 x 9.25 in

# Lulu's casewrap spine by page count, [(up to this many pages, spine inches)]: boards and all.
_LULU_CASE_SPINE = (
    (84, 0.25),
    (140, 0.5),
    (168, 0.625),
    (194, 0.6875),
    (222, 0.75),
    (250, 0.8125),
    (278, 0.875),
    (306, 0.9375),
    (334, 1.0),
    (360, 1.0625),
    (388, 1.125),
    (416, 1.1875),
    (444, 1.25),
    (472, 1.3125),
    (500, 1.375),
    (528, 1.4375),
    (556, 1.5),
    (582, 1.5625),
    (610, 1.625),
    (638, 1.6875),
    (666, 1.75),
    (694, 1.8125),
    (722, 1.875),
    (750, 1.9375),
    (778, 2.0),
    (800, 2.0625),
)


def _by_page_count(table: tuple[tuple[int, float], ...], pages: int) -> float:
    """The value for `pages` in a service's table [(up to this many pages, value)], read in order;
    the last row's beyond it."""
    for most, value in table:
        if pages <= most:
            return value
    return table[-1][1]


@dataclass(frozen=True)
class Service:
    """One service's rules. `inside` is [(up to this many pages, inside margin)], read in order."""

    name: str
    label: str
    bindings: tuple[str, ...]
    pages: dict[str, tuple[int, int]]  # "binding" or "binding/paper" -> (fewest, most) pages
    inside: tuple[tuple[int, float], ...]
    outside: float  # the least margin on the outer edge, top and bottom (trim to text)
    outside_bleed: float  # the same when the interior bleeds
    per_page: dict[str, float]  # paper -> spine inches per page
    spine_extra: float  # inches the cover's board or wrap adds to the spine
    spine_text_pages: int  # the fewest pages whose spine may carry text
    barcode: tuple[float, float]  # the barcode area's distance from the spine fold and from the bottom trim
    blank_last: bool = False  # the service prints its own mark on the last page, which must be blank
    trims: tuple[tuple[float, float], ...] = ()  # sizes it prints (width, height); empty: any
    transparency: bool = True  # whether the service's PDF variant allows transparency
    rgb: bool = True  # whether it takes RGB colour as is (else it asks for CMYK)
    pdfx: bool = False  # whether its files declare PDF/X (pdfx.py), with the editor's printing profile
    srgb: bool = False  # whether its files declare their RGB colour sRGB (it prints RGB as sRGB)
    # The hardcover (case laminate) cover; None where no credible figures were found (P019).
    case_wrap: float | None = None  # printed beyond the boards on all four edges, folded inside
    case_hinge: float = 0.0  # a band of its own beside each side of the spine in the cover file
    case_overhang: float = 0.0  # the boards beyond the trimmed pages at the top, bottom and fore-edge
    case_spine: tuple[tuple[int, float], ...] = ()  # [(up to this many pages, spine inches)]
    sources: dict[str, str] = field(default_factory=dict)

    def limits(self, binding: str, paper: str) -> tuple[int, int]:
        return self.pages.get(f"{binding}/{paper}") or self.pages[binding]

    def inside_margin(self, pages: int) -> float:
        return _by_page_count(self.inside, pages)

    def outside_margin(self, bleed: bool) -> float:
        return self.outside_bleed if bleed else self.outside

    def padded(self, pages: int, last_blank: bool) -> int:
        """The page count the service prints: even (a leaf has two sides), with a blank last page
        where the service marks it there (padding pages are blank)."""
        if pages % 2:
            return pages + 1
        return pages + 2 if self.blank_last and not last_blank else pages

    def spine(self, pages: int, paper: str) -> float:
        """The spine's width in inches for `pages` printed pages on `paper`."""
        return pages * self.per_page[paper] + self.spine_extra

    def spine_text(self, pages: int) -> bool:
        return pages >= self.spine_text_pages

    @property
    def makes_case(self) -> bool:
        """Whether anthology can make this service's hardcover cover (its figures are known)."""
        return self.case_wrap is not None and bool(self.case_spine)

    def case_spine_width(self, pages: int) -> float:
        """A hardcover's spine in inches (the boards' thickness included), from the service's table."""
        return _by_page_count(self.case_spine, pages)


_KDP_TRIMS = (
    (5, 8),
    (5.06, 7.81),
    (5.25, 8),
    (5.5, 8.5),
    (6, 9),
    (6.14, 9.21),
    (6.69, 9.61),
    (7, 10),
    (7.44, 9.69),
    (7.5, 9.25),
    (8, 10),
    (8.25, 6),
    (8.25, 8.25),
    (8.5, 8.5),
    (8.5, 11),
    (8.27, 11.69),
    (8.25, 11),
)
_LULU_TRIMS = (
    (4.25, 6.87),
    (5.5, 8.5),
    (5.83, 8.27),
    (6, 9),
    (6.14, 9.21),
    (6.63, 10.25),
    (7, 10),
    (7.44, 9.68),
    (7.5, 7.5),
    (8.5, 8.5),
    (8.5, 11),
    (8.27, 11.69),
    (9, 7),
    (11, 8.5),
)
_INGRAM_TRIMS = (
    (4, 6),
    (4.25, 7),
    (4.37, 7),
    (5, 7),
    (5, 8),
    (5.06, 7.81),
    (5.25, 8),
    (5.5, 8.25),
    (5.5, 8.5),
    (5.83, 8.27),
    (6, 9),
    (6.14, 9.21),
    (6.69, 9.61),
    (7, 10),
    (7.44, 9.69),
    (7.5, 9.25),
    (8, 8),
    (8, 10),
    (8.25, 11),
    (8.5, 8.5),
    (8.5, 11),
    (8.27, 11.69),
    (6.625, 10.25),
    (6.5, 6.5),
    (7.5, 10),
)

SERVICE: dict[str, Service] = {
    "kdp": Service(
        "kdp",
        "Kindle Direct Publishing",
        ("paperback", "hardcover"),
        {"paperback": (24, 828), "paperback/cream": (24, 776), "hardcover": (75, 550)},
        ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (10**9, 0.875)),
        outside=0.25,
        outside_bleed=0.375,
        per_page={"white": 0.002252, "cream": 0.0025},
        spine_extra=0.0,
        spine_text_pages=79,
        barcode=(0.25, 0.25),
        trims=_KDP_TRIMS,
        sources={
            "margins": f"{KDP_HELP}: inside margin by page count, outside 0.25 in (0.375 in with bleed)",
            "pages": f"{KDP_OPTIONS}: paperback 24-828 pages on white, 24-776 on cream; hardcover 75-550",
            "spine": f"{KDP_COVER}: spine = pages x 0.002252 in (white) or x 0.0025 in (cream)",
            "spine text": f"{KDP_COVER}: spine text only for books of 79 pages or more",
            "barcode": f"{KDP_COVER}: 2 x 1.2 in, lower right of the back, 0.25 in from spine and bottom edge",
            "trims": KDP_OPTIONS,
            "case": f"{KDP_HARDCOVER} names the wrap, hinge and spine but its stored copy gives no figures; "
            "third-party pages agree on a 0.591 in (15 mm) wrap but not on the hinge (0.197 to 0.375 in) or "
            "the spine, so no case cover is made (P019)",
        },
    ),
    "lulu": Service(
        "lulu",
        "Lulu",
        ("paperback", "hardcover"),
        {"paperback": (32, 800), "hardcover": (24, 800)},
        ((60, 0.5), (150, 0.625), (400, 1.0), (600, 1.125), (10**9, 1.25)),
        outside=0.5,
        outside_bleed=0.5,
        per_page={"white": 1 / 444, "cream": 1 / 444},
        spine_extra=0.06,
        spine_text_pages=80,
        barcode=(0.5, 0.5),
        trims=_LULU_TRIMS,
        srgb=True,
        case_wrap=0.75,
        case_overhang=0.125,
        case_spine=_LULU_CASE_SPINE,
        sources={
            "margins": f"{LULU_GUIDE}: 0.5 in safety margin, plus a gutter of 0.125 in (61-150 pages), "
            "0.5 in (151-400), 0.625 in (401-600), 0.75 in (over 600)",
            "pages": f"{LULU_SPINE}: paperback at least 32 pages, hardcover at least 24",
            "spine": f"{LULU_SPINE}: paperback spine = pages / 444 + 0.06 in, on either paper",
            "spine text": f"{LULU_GUIDE}: spine text on books of 80 pages or more",
            "barcode": f"{LULU_GUIDE}: the barcode sits in the lower right corner of the back cover",
            "colour": f"{LULU_GUIDE}: RGB images in sRGB",
            "trims": LULU_GUIDE,
            "case wrap": f"{LULU_CASEWRAP}: the casewrap is printed 0.75 in beyond the cover's trim size on every edge",
            "case overhang": f"{LULU_CASE_SIZE}: a 6 x 9 in casewrap's cover (board) size is 6.125 x 9.25 in",
            "case hinge": f"{LULU_CASEWRAP}: the hinge lies within the front and back boards, no band of its own",
            "case spine": f"{LULU_CASE_SPINE}: hardcover casewrap spine by page-count range (0.25 in to 84 pages, ...)",
        },
    ),
    "ingram": Service(
        "ingram",
        "IngramSpark",
        ("paperback", "hardcover"),
        {"paperback": (18, 1200), "hardcover": (24, 1200)},
        ((10**9, 0.5),),
        outside=0.5,
        outside_bleed=0.5,
        per_page={"white": 1 / 400, "cream": 1 / 400},
        spine_extra=0.025,
        spine_text_pages=48,
        barcode=(0.5, 0.5),
        blank_last=True,
        trims=_INGRAM_TRIMS,
        transparency=False,
        rgb=False,
        pdfx=True,
        sources={
            "margins": f"{INGRAM_GUIDE}: at least 0.5 in on every side",
            "pages": f"{INGRAM_GUIDE}: 18 pages at least; the most depend on the trim (1,200 at the widest)",
            "spine": f"{INGRAM_SPINE}: spine = pages / 400 + 0.025 in on 50 lb white or creme",
            "spine text": f"{INGRAM_GUIDE}: no spine text under 48 pages",
            "last page": f"{INGRAM_GUIDE}: the last page is left blank for the printer's barcode",
            "colour": f"{INGRAM_GUIDE}: PDF/X-1a (CMYK, no transparency) or PDF/X-3",
            "trims": INGRAM_GUIDE,
            "case": "no case laminate wrap, hinge or spine figures found (IngramSpark's template generator only), "
            "so no case cover is made (P019)",
        },
    ),
    "generic": Service(
        "generic",
        "a generic printer",
        ("paperback", "hardcover"),
        {"paperback": (4, 10**6), "hardcover": (4, 10**6)},
        ((10**9, 0.5),),
        outside=0.25,
        outside_bleed=0.375,
        per_page={"white": 0.002252, "cream": 0.0025},
        spine_extra=0.0,
        spine_text_pages=79,
        barcode=(0.25, 0.25),
        sources={"all": "the common denominator of kdp, lulu and ingram; the printer's own specification wins"},
    ),
}


@dataclass(frozen=True)
class PrintProfile:
    """book.yaml's `print:` with its defaults filled in."""

    service: Service
    paper: str = "white"
    binding: str = "paperback"
    bleed: bool = False
    blurb: str = ""
    cover_image: str | None = None
    contributors: bool = False
    color_profile: str | None = None  # the printing condition's ICC profile, a file in the book (PDF/X)


def profile_of(settings: object) -> PrintProfile:
    """The print profile of a book: book.yaml's `print:` (checked by the K rules), else generic."""
    raw = getattr(settings, "printing", None) or {}

    def pick(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = raw.get(key)
        return value if value in allowed else default

    return PrintProfile(
        SERVICE[pick("service", SERVICES, "generic")],
        pick("paper", PAPERS, "white"),
        pick("binding", BINDINGS, "paperback"),
        raw.get("bleed") is True,
        blurb if isinstance(blurb := raw.get("blurb"), str) else "",
        raw.get("cover_image") if isinstance(raw.get("cover_image"), str) else None,
        raw.get("contributors") is True,
        raw.get("color_profile") if isinstance(raw.get("color_profile"), str) else None,
    )
