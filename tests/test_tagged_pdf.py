"""The accessible PDF: a structure tree read back from the built book.

Every piece of text on every page is either marked content of the structure tree or an
artifact (folios, running heads); heading levels never skip; every figure has the author's
alt text; the document has its language and shows its title.
"""

from __future__ import annotations

import io
import itertools
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT, copy_sample

from anthology.build import build
from anthology.load import load_book

EPOCH = "1700000000"
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


def built_pdf(root: Path) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = build(load_book(root), root / "build", ("pdf",))
    assert not result.refused
    return result.outputs[0].path.read_bytes()


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return built_pdf(copy_sample(tmp_path_factory.mktemp("tagged") / "sample"))


def elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """The structure elements under `node`, in reading order."""
    kids = node.get("/K")
    if kids is None:
        return []
    found = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if (
            isinstance(kid, pikepdf.Dictionary)
            and kid.get("/Type", pikepdf.Name.StructElem) == "/StructElem"
            and "/S" in kid
        ):
            found.append(kid)
            found += elements(kid)
    return found


def unmarked_text(pdf: pikepdf.Pdf, stream_owner: pikepdf.Object, inherited: bool = False) -> int:
    """How many text operators are drawn outside marked content with an MCID and outside artifacts."""
    stack: list[bool] = []  # for each open marked-content sequence: does it make its content accounted for?
    count = 0
    for operands, operator in pikepdf.parse_content_stream(stream_owner):
        name = str(operator)
        if name == "BDC":
            tag, properties = operands[0], operands[1]
            mcid = isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
            stack.append(tag == "/Artifact" or mcid)
        elif name == "BMC":
            stack.append(operands[0] == "/Artifact")
        elif name == "EMC":
            stack.pop()
        elif name in TEXT_OPERATORS and not (inherited or any(stack)):
            count += 1
        elif name == "Do" and not (inherited or any(stack)):
            resources = stream_owner.get("/Resources", {}) if isinstance(stream_owner, pikepdf.Dictionary) else {}
            xobject = resources.get("/XObject", {}).get(str(operands[0])) if resources else None
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                count += unmarked_text(pdf, xobject)
    return count


def owned(element: pikepdf.Dictionary) -> set[tuple[tuple[int, int], int]]:
    """The (page, marked-content id) pairs `element` holds itself: ids in its /K on its own page,
    or marked-content references naming their page."""
    kids = element.get("/K")
    found = set()
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            found.add((element.Pg.objgen, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            found.add((kid.get("/Pg", element.get("/Pg")).objgen, int(kid.MCID)))
    return found


def check_structure(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en"
        assert root.ViewerPreferences.DisplayDocTitle is True
        tree = root.StructTreeRoot
        found = elements(tree)
        kinds = [str(e.S) for e in found]
        assert kinds[0] == "/Document" and "/P" in kinds and "/H1" in kinds
        levels = [int(kind[2]) for kind in kinds if len(kind) == 3 and kind.startswith("/H") and kind[2].isdigit()]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
        for figure in (e for e in found if e.S == "/Figure"):
            assert str(figure.get("/Alt", "")).strip(), "a figure without alt text"
        in_tree = {e.objgen for e in found}
        nums = tree.ParentTree.Nums
        parent = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for number, page in enumerate(pdf.pages):
            assert unmarked_text(pdf, page.obj) == 0, f"page {number + 1} has text outside the structure"
            if "/StructParents" in page.obj:
                marks = parent[int(page.obj.StructParents)]
                assert all(isinstance(m, pikepdf.Dictionary) for m in marks)
                for mcid, mark in enumerate(marks):  # the parent tree and the elements agree
                    assert (page.obj.objgen, mcid) in owned(mark), f"page {number + 1}: content {mcid}"
                    assert mark.objgen in in_tree, f"page {number + 1}: content {mcid} outside the tree"
            for annotation in page.obj.get("/Annots", []):  # links (contents, index, the web) are tagged
                assert parent[int(annotation.StructParent)].S == "/Link", f"an untagged link on page {number + 1}"


def test_sample_pdf_is_tagged(sample_pdf: bytes) -> None:
    check_structure(sample_pdf)


def test_folios_and_running_heads_are_artifacts(sample_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        page = pdf.pages[12]
        operators = [(list(o), str(op)) for o, op in pikepdf.parse_content_stream(page.obj)]
        stamp = next(i for i, (operands, op) in enumerate(operators) if op == "Do" and operands[0] == "/AnthologyStamp")
        opened = [operands[0] for operands, op in operators[:stamp] if op in ("BMC", "BDC")]
        assert "/Artifact" in opened


def test_names_carry_their_own_language(sample_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        spans = {str(e.Lang) for e in elements(pdf.Root.StructTreeRoot) if "/Lang" in e and e.S == "/Span"}
    # The sample's contributors write their names in Chinese, Arabic, Hebrew, Greek, Cyrillic and Devanagari.
    assert {"zh", "ar", "he", "el", "ru", "hi"} <= spans, spans


def test_each_typeface_is_embedded_once(sample_pdf: bytes) -> None:
    from test_font_merge import programs

    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        counts = programs(pdf)
    assert counts and set(counts.values()) == {1}, counts


@pytest.mark.slow
def test_generated_40_chapter_pdf_is_tagged(tmp_path: Path) -> None:
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    from generate import generate_book

    generate_book(tmp_path / "generated", 40)
    check_structure(built_pdf(tmp_path / "generated"))
