"""PDF/X-4 for services that print from PDF/X (IngramSpark): the print files say which printing
condition they were made for. A service that prints RGB as sRGB without PDF/X (Lulu) gets the
sRGB declaration alone (`in_srgb`).

PDF/X-4 (ISO 15930-7) is the variant the files can meet as they are: it is based on PDF 1.6 (the
OpenType fonts WeasyPrint embeds), and it allows transparency and colour in ICC-based spaces.
What `declare` adds to an interior or cover:

- the output intent: the printing condition's ICC profile, which the editor downloads from the
  service and names in book.yaml (`print: color_profile`); no CMYK profile can be shipped with
  anthology, as the characterisation data belongs to the printing industry's bodies;
- /DefaultRGB on every page and form: the RGB colour WeasyPrint writes is then sRGB, an
  ICC-based space, which the service converts to its CMYK;
- no annotations (links mean nothing on paper, and PDF/X allows none on the printed area);
- the Info keys and the XMP metadata PDF/X-4 asks for, dated from the document's own dates
  (SOURCE_DATE_EPOCH), so the same sources still give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..fileio import inside

if TYPE_CHECKING:
    import pikepdf

VERSION = "PDF/X-4"
HEADER = 128  # bytes of an ICC profile's header


@dataclass(frozen=True)
class OutputProfile:
    """A printing condition's ICC profile: an output device's, in CMYK."""

    data: bytes
    description: str


def output_profile(data: bytes) -> OutputProfile | str:
    """The profile in `data`, or why it cannot be a printing condition's (for K003)."""
    if len(data) < HEADER + 4 or data[36:40] != b"acsp":
        return "it is not an ICC colour profile"
    if data[12:16] != b"prtr" or data[16:20] != b"CMYK":
        kind, space = (data[a:b].decode("latin-1").strip() for a, b in ((12, 16), (16, 20)))
        return f"it is a '{kind}' profile in {space}; a printer's CMYK output profile ('prtr', CMYK) is needed"
    return OutputProfile(data, _description(data) or "CMYK printing condition")


def book_profile(root: Path, name: str) -> OutputProfile | str:
    """The printing profile `name` (book.yaml's `print: color_profile`) of the book at `root`, or
    why it cannot be used: read by K003 and by the print edition alike."""
    real = inside(root, name)
    if real is None or not real.is_file():
        return "it is not a file in the book"
    try:
        data = real.read_bytes()
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    return output_profile(data)


def _description(data: bytes) -> str:
    """The profile's 'desc' tag: ICC v2 text description or v4 multi-localised text (first record)."""
    (count,) = struct.unpack_from(">I", data, HEADER)
    for index in range(min(count, 256)):
        signature, offset, size = struct.unpack_from(">4sII", data, HEADER + 4 + 12 * index)
        if signature != b"desc" or offset + size > len(data):
            continue
        tag = data[offset : offset + size]
        if tag[:4] == b"desc" and len(tag) >= 12:  # v2: length, then ASCII ending in NUL
            (length,) = struct.unpack_from(">I", tag, 8)
            return tag[12 : 12 + length].split(b"\0")[0].decode("latin-1").strip()
        if tag[:4] == b"mluc" and len(tag) >= 28:  # v4: records of (language, length, offset)
            length, start = struct.unpack_from(">II", tag, 20)
            return tag[start : start + length].decode("utf-16-be", "replace").strip()
    return ""


@lru_cache(maxsize=4)
def _srgb(when: dt.datetime) -> bytes:
    """An sRGB ICC profile, made by LittleCMS (Pillow), dated `when`: LittleCMS writes the
    current time in the profile's header, which made each build's files differ from the last."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    fields = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    struct.pack_into(">6H", data, 24, *fields)  # the header's dateTimeNumber; no profile ID to redo
    return bytes(data)


def declared(data: bytes, profile: OutputProfile, title: str, when: dt.datetime) -> bytes:
    """The print file `data` made a PDF/X-4 file (`declare`), saved as the build saves its files."""
    return _rewritten(data, lambda pdf: declare(pdf, profile, title, when))


def in_srgb(data: bytes, when: dt.datetime) -> bytes:
    """The print file `data` with its RGB colour declared sRGB (`declare_srgb`), for a service
    that prints RGB as sRGB (Lulu) but not from PDF/X; `when` dates the profile."""
    return _rewritten(data, lambda pdf: declare_srgb(pdf, when))


def _rewritten(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def declare_srgb(pdf: pikepdf.Pdf, when: dt.datetime) -> None:
    """Make the RGB colour of every page and form sRGB, an ICC-based space (/DefaultRGB), where
    WeasyPrint writes device RGB that a printer may read as it likes."""
    import pikepdf

    default_rgb = pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_stream(_srgb(when), N=3)])
    for owner in _resource_owners(pdf):
        resources = owner.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            spaces = pikepdf.Dictionary(dict(resources.get("/ColorSpace", pikepdf.Dictionary()).items()))
            spaces.DefaultRGB = default_rgb
            copy = pikepdf.Dictionary(dict(resources.items()))  # resources may be shared: give each its own
            copy.ColorSpace = spaces
            owner.Resources = copy


def declare(pdf: pikepdf.Pdf, profile: OutputProfile, title: str, when: dt.datetime) -> None:
    """Make `pdf` a PDF/X-4 file for the printing condition `profile`, dated `when` (the
    book's date, UTC); `title` is the document's title."""
    import pikepdf

    from ..render.content import pdf_date  # not at the top: K003 imports this module, validate stays light

    declare_srgb(pdf, when)
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(profile.description),
        Info=pikepdf.String(profile.description),
        DestOutputProfile=pdf.make_stream(profile.data, N=4),
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    date = pdf_date(when)
    info = pdf.docinfo
    info.Title = pikepdf.String(title)
    if "/CreationDate" not in info:
        info.CreationDate = pikepdf.String(date)
    info.ModDate = pikepdf.String(date)
    info.Trapped = pikepdf.Name("/False")
    info.GTS_PDFXVersion = pikepdf.String(VERSION)
    metadata = pdf.make_stream(_xmp(title, when).encode(), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    pdf.Root.Metadata = metadata


def _resource_owners(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every page, and every form drawn from a page's resources (the folio layer's)."""
    import pikepdf

    owners: list[pikepdf.Dictionary] = []
    seen: set[tuple[int, int]] = set()
    stack = [page.obj for page in pdf.pages]
    while stack:
        owner = stack.pop()
        if owner.is_indirect and owner.objgen in seen:
            continue
        if owner.is_indirect:
            seen.add(owner.objgen)
        owners.append(owner)
        resources = owner.get("/Resources")
        xobjects = resources.get("/XObject", {}) if isinstance(resources, pikepdf.Dictionary) else {}
        stack.extend(x for x in xobjects.values() if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Form")
    return owners


def _xmp(title: str, when: dt.datetime) -> str:
    """The XMP packet PDF/X-4 asks for; its ids are digests of title and date (deterministic)."""
    from ..render.content import pdf_date

    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hashlib.sha256(f"{title}\n{pdf_date(when)}".encode()).hexdigest()
    uuid = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<xmp:CreateDate>{iso}</xmp:CreateDate><xmp:ModifyDate>{iso}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{iso}</xmp:MetadataDate><xmp:CreatorTool>anthology</xmp:CreatorTool>"
        "<pdf:Producer>anthology (WeasyPrint, pikepdf)</pdf:Producer><pdf:Trapped>False</pdf:Trapped>"
        f"<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID><xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>"
        f"<xmpMM:VersionID>1</xmpMM:VersionID><xmpMM:RenditionClass>default</xmpMM:RenditionClass>"
        f"<pdfxid:GTS_PDFXVersion>{VERSION}</pdfxid:GTS_PDFXVersion>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
