"""Attachment checks: the file's content decides its type, not its name."""

from dataclasses import dataclass

from portal.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def sniff(data: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def check(uploads: list[Upload]) -> list[tuple[Upload, str]]:
    """Each upload with its detected content type; ValidationError names the first bad file."""
    if len(uploads) > MAX_FILES:
        raise ValidationError("error.too_many_files", field="attachments", max=MAX_FILES)
    checked = []
    for upload in uploads:
        if len(upload.data) > MAX_BYTES:
            raise ValidationError("error.file_too_large", field="attachments",
                                  name=upload.filename, max=MAX_BYTES // (1024 * 1024))
        if not upload.data:
            raise ValidationError("error.file_empty", field="attachments", name=upload.filename)
        content_type = sniff(upload.data)
        if content_type is None:
            raise ValidationError("error.file_type", field="attachments", name=upload.filename)
        checked.append((upload, content_type))
    return checked
