"""Upload checks: every per-file check in one function, a list checked file by file, sizes shown so
that they differ, and Office files refused when they would expand beyond reason."""

import io
import os
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import MAX_ARCHIVE_MEMBERS, MultipleFileField, describe_sizes, inspect_upload, inspect_uploads
from tests.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES

MB = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_bytes(members: dict[str, bytes] | None = None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A docx-shaped ZIP: [Content_Types].xml first, then word/ parts, as Word writes them."""
    members = members or {"word/document.xml": b"<w:document>" + "班组台帐".encode() * 200 + b"</w:document>"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refusal(upload, limit=20 * MB) -> str:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload, limit=limit)
    return " ".join(caught.value.messages)


def test_a_pdf_an_image_and_a_real_docx_pass_with_their_type_and_hash():
    assert inspect_upload(SimpleUploadedFile("a.pdf", PDF_BYTES), limit=MB).content_type == "application/pdf"
    assert inspect_upload(SimpleUploadedFile("a.png", PNG_BYTES), limit=MB).content_type == "image/png"
    inspected = inspect_upload(SimpleUploadedFile("总结.docx", docx_bytes()), limit=MB)
    assert inspected.content_type == DOCX and len(inspected.sha256) == 64


def test_an_empty_file_is_refused_by_name():
    assert (
        refusal(SimpleUploadedFile("空白.pdf", b"")) == "“空白.pdf”是空文件（0 字节），请检查电脑上的文件后重新选择。"
    )


def test_one_byte_over_the_limit_shows_two_different_figures():
    limit = 20 * MB
    message = refusal(SimpleUploadedFile("扫描件.pdf", PDF_BYTES + b"0" * (limit + 1 - len(PDF_BYTES))), limit)
    assert "20,971,521 字节" in message and "20,971,520 字节" in message and "扫描件.pdf" in message
    assert "20.0\xa0MB" not in message


def test_sizes_that_read_differently_are_shown_as_people_read_them():
    assert describe_sizes(30 * MB, 20 * MB) == ("30.0\xa0MB", "20.0\xa0MB")
    assert describe_sizes(1025, 1024) == ("1,025 字节", "1,024 字节")


def test_a_list_is_checked_file_by_file_and_each_refusal_names_its_file():
    good, refused = inspect_uploads(
        [
            SimpleUploadedFile("好.pdf", PDF_BYTES),
            SimpleUploadedFile("空.pdf", b""),
            SimpleUploadedFile("病毒.pdf", EXE_BYTES),
            SimpleUploadedFile("图.png", PNG_BYTES),
        ],
        limit=MB,
    )
    assert [upload.name for upload, _inspected in good] == ["好.pdf", "图.png"]
    assert [file.name for file in refused] == ["空.pdf", "病毒.pdf"]
    assert all(file.name in file.message for file in refused)


def test_the_multiple_file_field_takes_every_file_and_checks_none():
    field = MultipleFileField(required=False)
    empty = SimpleUploadedFile("空.pdf", b"")
    good = SimpleUploadedFile("好.pdf", PDF_BYTES)
    assert field.clean([empty, good]) == [empty, good]  # the empty one is refused by name where it is stored
    assert field.clean(None) == []
    with pytest.raises(ValidationError):
        MultipleFileField(required=True).clean([])


# --- Office files are ZIP archives ------------------------------------------------------------


def zip_bomb(expanded_megabytes: int) -> bytes:
    """A docx-shaped ZIP whose word/document.xml is that many megabytes of zeros, deflated. One
    megabyte is compressed once and its block repeated (a full flush makes each block stand on its
    own), so that the test does not spend seconds compressing a quarter gigabyte."""
    zeros = bytes(MB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    document = block * expanded_megabytes + deflate.flush()
    crc = 0
    for _ in range(expanded_megabytes):
        crc = zlib.crc32(zeros, crc)
    members = [  # name, method, crc, compressed, size
        (b"[Content_Types].xml", zipfile.ZIP_STORED, zlib.crc32(CONTENT_TYPES), CONTENT_TYPES, len(CONTENT_TYPES)),
        (b"word/document.xml", zipfile.ZIP_DEFLATED, crc, document, expanded_megabytes * MB),
    ]
    local, central = b"", b""
    for name, method, checksum, data, size in members:
        header = struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, checksum, len(data), size, len(name), 0
        )
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, checksum, len(data), size, len(name),
            0, 0, 0, 0, 0, len(local),
        ) + name  # fmt: skip
        local += header + name + data
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0)
    return local + central + end


def test_a_docx_bomb_of_a_quarter_gigabyte_is_refused_without_decompressing_it():
    bomb = zip_bomb(256)
    assert len(bomb) < MB // 2
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # a genuine bomb: it inflates to zeros
        assert archive.open("word/document.xml").read(MB) == bytes(MB)
    message = refusal(SimpleUploadedFile("年度总结.docx", bomb))
    assert message == (
        "“年度总结.docx”解压后达 256.0\xa0MB，Office 文档解压后不得超过 200.0\xa0MB。请减少其中的图片或拆分后重新上传。"
    )


def test_a_part_compressed_beyond_reason_is_refused_even_under_the_total(settings):
    data = docx_bytes({"word/document.xml": bytes(5 * MB)})  # 5 MB of zeros: about 1,000 to 1
    assert len(data) < 100 * 1024
    message = refusal(SimpleUploadedFile("报告.docx", data))
    assert "报告.docx" in message and "压缩比超过 100:1" in message


def test_ordinary_compression_is_refused_only_over_the_total(settings):
    settings.UPLOAD_MAX_EXPANDED_BYTES = MB
    noise = os.urandom(MB + 1)  # does not compress: no ratio to complain of, only the total
    message = refusal(SimpleUploadedFile("照片集.docx", docx_bytes({"word/media/image1.png": noise})))
    assert "照片集.docx" in message and "解压后" in message
    settings.UPLOAD_MAX_EXPANDED_BYTES = 2 * MB
    assert inspect_upload(
        SimpleUploadedFile("照片集.docx", docx_bytes({"word/media/image1.png": noise})), limit=20 * MB
    )


def test_too_many_parts_are_refused():
    members = {f"word/part{n}.xml": b"" for n in range(MAX_ARCHIVE_MEMBERS)}
    message = refusal(SimpleUploadedFile("碎片.docx", docx_bytes(members, zipfile.ZIP_STORED)))
    assert "碎片.docx" in message and "10,000" in message


def test_a_damaged_docx_is_refused():
    whole = docx_bytes()
    truncated = whole[: whole.rindex(b"PK\x01\x02")]  # the parts without the central directory
    message = refusal(SimpleUploadedFile("损坏.docx", truncated))
    assert "损坏.docx" in message and "已损坏" in message
