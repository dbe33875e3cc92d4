"""The accessible PDF's structure: the layout units' tag trees joined into one.

Each unit is laid out by WeasyPrint with `pdf_tags` (its own structure tree: headings,
paragraphs, lists, tables, figures with the author's alt text, links), so the join must
rebuild the book's tree: one Document element holding every unit's elements in page order,
and one parent tree (the map from each page's marked content to its elements) whose keys are
renumbered unit after unit. The folio and running-head layer is drawn as an artifact, so a
screen reader skips it, and the document asks viewers to show its title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

ARTIFACT_START, ARTIFACT_END = b"/Artifact BMC\n", b"\nEMC\n"


class Structure:
    """The book's structure tree, filled unit by unit as the units' pages join the book."""

    def __init__(self, out: pikepdf.Pdf) -> None:
        import pikepdf

        self.out = out
        self.root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        self.document = out.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=self.root, K=pikepdf.Array())
        )
        self.root.K = pikepdf.Array([self.document])
        self.nums = pikepdf.Array()
        self.role_map = pikepdf.Dictionary()
        self.next_key = 0
        # A unit's links to pieces laid out elsewhere are made by assemble.py after the join:
        # the unit's Link elements still without their annotation, by the unit's first page.
        self.open_links: dict[int, list[pikepdf.Dictionary]] = {}

    def add(self, source: pikepdf.Pdf, first: int, linked: bool) -> None:
        """Join the tree of `source`, whose pages are the book's from `first` on (already copied);
        `linked`: whether it has links that assemble.py will make (only then are they looked for)."""
        import pikepdf

        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            return
        for name, value in tree.get("/RoleMap", {}).items():
            self.role_map[name] = value
        top = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
        kids = list(top.K) if isinstance(top.K, pikepdf.Array) else [top.K]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                del kid["/P"]  # so copying it does not copy the unit's whole tree again
                copied = self.out.copy_foreign(kid)
                copied.P = self.document
                self.document.K.append(copied)
                if linked:
                    self.open_links.setdefault(first, []).extend(_open_links(copied))
        # The parent tree's entries point at elements and annotations copied already: copying
        # its array in one go (made indirect, as a direct array cannot be) maps them all.
        nums = self.out.copy_foreign(source.make_indirect(tree.ParentTree.Nums))
        offset, last = self.next_key, -1
        for index in range(0, len(nums), 2):
            key = int(nums[index])
            last = max(last, key)
            self.nums.append(offset + key)
            self.nums.append(nums[index + 1])
        for page in self.out.pages[first : first + len(source.pages)]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = offset + int(page.obj.StructParents)
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = offset + int(annotation.StructParent)
        self.next_key = offset + last + 1

    def attach(self, first: int, links: list[list[pikepdf.Dictionary]]) -> None:
        """Give the Link elements of the unit starting on page `first` their annotations (each
        link's, in reading order); left untagged when they do not pair up one for one."""
        import pikepdf

        elements = self.open_links.get(first, [])
        if len(elements) != len(links):
            return
        for element, rects in zip(elements, links):
            kids = element.get("/K")
            kids = pikepdf.Array(list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids])
            for annotation in rects:
                annotation.StructParent = self.next_key
                self.nums.append(self.next_key)
                self.nums.append(element)
                self.next_key += 1
                kids.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=element.get("/Pg")))
            element.K = kids

    def finish(self) -> None:
        """Put the tree in the catalogue, marked as tagged, and ask viewers to show the title."""
        import pikepdf

        out = self.out
        self.root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=self.nums))
        self.root.ParentTreeNextKey = self.next_key
        if len(self.role_map):
            self.root.RoleMap = self.role_map
        out.Root.StructTreeRoot = self.root
        out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        preferences = out.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        preferences.DisplayDocTitle = True
        out.Root.ViewerPreferences = preferences


def _open_links(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """The Link elements under `element` (itself included), in reading order, that have no
    annotation yet (WeasyPrint gives none to a link whose target lies in another unit)."""
    import pikepdf

    found = []
    stack = [element]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        if node.get("/S") == "/Link" and not any(
            isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR" for kid in kids
        ):
            found.append(node)
        stack.extend(reversed([kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]))
    return found


def as_artifact(operators: bytes) -> bytes:
    """Content drawn as an artifact: page furniture (folios, running heads) a screen reader skips."""
    return ARTIFACT_START + operators + ARTIFACT_END


def adjust_tagging() -> None:
    """Adjust WeasyPrint's tagging (wrapping its tree builder once per process):

    - an element written with its own `lang` (an author's name in its script, see
      content.name_attributes) gets that language, so a screen reader speaks it right (WeasyPrint
      70 writes /Lang only for the document); an element keeps the innermost box's language;
    - the text of an element is marked as its own content, not through a Span element per line
      fragment (`_inline_text`): two thirds of a book's structure elements were such Spans, and
      each one is copied, checked and written again when the units are joined.
    """
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "adjusted", False):
        return

    def build(box, parent, pdf, page_number, nums, *rest):  # type: ignore[no-untyped-def]
        import pydyf

        element = getattr(box, "element", None)
        language = element.get("lang") if element is not None and hasattr(element, "get") else None
        for child in original(box, parent, pdf, page_number, nums, *rest):
            if language and "Lang" not in child:
                child["Lang"] = pydyf.String(language)
            _inline_text(child, pdf, nums)
            yield child

    build.adjusted = True  # type: ignore[attr-defined]
    tags._build_box_tree = build


_LEAF_KEYS = {"Type", "S", "K", "Pg", "P"}


def _inline_text(element: Any, pdf: Any, nums: dict[int, bytes]) -> None:
    """Put the marked text of `element`'s leaf Span elements (WeasyPrint's pydyf objects: one
    Span holding one marked-content id, on the element's page) in `element` itself. The Spans
    stay in the unit's file, unreachable, so the join does not copy them."""
    kids = element["K"]
    for index, kid in enumerate(kids):
        if not isinstance(kid, bytes):
            continue  # a marked-content id already
        span = pdf.objects[int(kid.split()[0])]
        content = span.get("K")
        if (
            span.get("S") == "/Span"
            and set(span) == _LEAF_KEYS
            and span["Pg"] == element["Pg"]
            and len(content) == 1
            and isinstance(content[0], int)
        ):
            kids[index] = content[0]
            nums[content[0]] = element.reference
