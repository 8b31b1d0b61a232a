"""Attachment checks: the file's content decides its type, not its name.

Besides the type, a file is refused when it could act on the reader's computer: a PDF with
scripts, automatic actions or embedded files, and any file that also parses as a web page
(a JPEG/PNG/PDF "polyglot" carrying HTML).
"""

import re
import zlib
from dataclasses import dataclass

from portal import text_rules
from portal.errors import ValidationError

# One number for the rule, the upload widget (`max_upload_size`) and `server.maxUploadSize`:
# Streamlit's browser counts an upload "MB" as 1,000,000 bytes (1,048,576 only on Windows).
MAX_MB = 10
MAX_BYTES = MAX_MB * 1000 * 1000
MAX_FILES = 5
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
# PDF names that run code, act on opening, launch programs or carry other files.
ACTIVE_PDF_NAMES = frozenset({
    b"JS", b"JavaScript", b"OpenAction", b"AA", b"Launch", b"EmbeddedFile", b"EmbeddedFiles",
    b"RichMedia", b"XFA", b"SubmitForm", b"ImportData", b"GoToE", b"GoToR", b"Sound",
    b"Movie",
})
HTML_MARKERS = (b"<script", b"<html", b"<!doctype html", b"<iframe", b"<svg", b"<body",
                b"<object", b"<embed", b"javascript:")
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
MAX_INFLATED = 50 * 1000 * 1000  # a compressed stream may not balloon beyond this


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def sniff(data: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def _names(chunk: bytes) -> set[bytes]:
    """The PDF names in `chunk`, with #xx escapes decoded (/J#53 is /JS)."""
    return {PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
            for name in PDF_NAME.findall(chunk)}


def _inflated_streams(data: bytes) -> list[bytes] | None:
    """The content of Flate-compressed streams (object streams can hide dictionaries);
    None when they inflate beyond MAX_INFLATED (a decompression bomb)."""
    found, budget = [], MAX_INFLATED
    for raw in PDF_STREAM.findall(data):
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(raw, budget)
        except zlib.error:
            continue
        budget -= len(content)
        if budget <= 0 or inflater.unconsumed_tail:
            return None
        found.append(content)
    return found


def is_active_pdf(data: bytes) -> bool:
    streams = _inflated_streams(data)
    if streams is None:
        return True
    return any(_names(chunk) & ACTIVE_PDF_NAMES for chunk in [data, *streams])


def carries_html(data: bytes) -> bool:
    lowered = data.lower()
    return any(marker in lowered for marker in HTML_MARKERS)


def check(uploads: list[Upload]) -> list[tuple[Upload, str]]:
    """Each upload with its detected content type; ValidationError names the first bad file."""
    if len(uploads) > MAX_FILES:
        raise ValidationError("error.too_many_files", field="attachments", max=MAX_FILES)
    checked = []
    for upload in uploads:
        name = upload.filename
        text_rules.check_chars(name, field="attachments", single_line=True)
        if len(upload.data) > MAX_BYTES:
            raise ValidationError("error.file_too_large", field="attachments", name=name,
                                  max=MAX_MB)
        if not upload.data:
            raise ValidationError("error.file_empty", field="attachments", name=name)
        content_type = sniff(upload.data)
        if content_type is None:
            raise ValidationError("error.file_type", field="attachments", name=name)
        if carries_html(upload.data):
            raise ValidationError("error.file_polyglot", field="attachments", name=name)
        if content_type == "application/pdf" and is_active_pdf(upload.data):
            raise ValidationError("error.file_active_pdf", field="attachments", name=name)
        checked.append((upload, content_type))
    return checked
