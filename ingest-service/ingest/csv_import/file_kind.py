"""What an upload is, from its first bytes: a CSV/text file, a workbook, or something to refuse by name.

Clerks upload what Excel or LibreOffice saved, and sometimes the wrong file from the same folder.
Names lie (a ".csv" that is really a workbook, a ".xls" that is an HTML page), so the bytes decide:
a ZIP with `xl/workbook.xml` is .xlsx, one whose `mimetype` is an OpenDocument spreadsheet is .ods,
an OLE2 compound file with a `Workbook` stream is .xls. A Word document, a PDF or a picture is
refused saying what it is, never with an encoding message.
"""

from __future__ import annotations

import zipfile
from typing import IO

from ingest.csv_import.reader import FileProblem

WORKBOOKS = ("xlsx", "xls", "ods")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: (English, Bangla) names of things that are not spreadsheets, for the refusal message.
_OTHERS = {
    "docx": ("a Word document", "একটি Word ডকুমেন্ট"),
    "doc": ("a Word document", "একটি Word ডকুমেন্ট"),
    "pptx": ("a PowerPoint file", "একটি PowerPoint ফাইল"),
    "odt": ("a text document", "একটি লেখার ডকুমেন্ট"),
    "zip": ("a ZIP archive", "একটি ZIP ফাইল"),
    "pdf": ("a PDF file", "একটি PDF ফাইল"),
    "picture": ("a picture", "একটি ছবি"),
    "html": ('a web page (HTML), as Excel writes for "Web Page" files', "একটি ওয়েব পেজ (HTML)"),
    "xml_spreadsheet": (
        "an Excel 2003 XML file; save it as .xlsx",
        "একটি Excel 2003 XML ফাইল; .xlsx হিসেবে সেভ করুন",
    ),
    "rtf": ("an RTF document", "একটি RTF ডকুমেন্ট"),
}


def sniff(binary: IO[bytes]) -> str:
    """ "csv" (any text), "xlsx", "xls" or "ods"; FileProblem 415 for anything else."""
    binary.seek(0)
    head = binary.read(8192)
    binary.seek(0)
    kind = _kind(binary, head)
    if kind in _OTHERS:
        what, what_bn = _OTHERS[kind]
        raise FileProblem(415, "unsupported_file", details={"detected": kind}, what=what, what_bn=what_bn)
    return kind


def _kind(binary: IO[bytes], head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(binary)
    if head.startswith(_OLE2):
        if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
            return "xls"
        binary.seek(0)
        directory = binary.read(1 << 16)
        binary.seek(0)
        if "Workbook".encode("utf-16-le") in directory or "Book\x00".encode("utf-16-le") in directory:
            return "xls"
        return "doc" if "WordDocument".encode("utf-16-le") in directory else "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        return "picture"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    lowered = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html")) or b"<html" in lowered[:512]:
        return "html"
    if lowered.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml_spreadsheet"
    return "csv"


def _zip_kind(binary: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(binary) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mimetype:
                    return "ods"
                if b"opendocument.text" in mimetype:
                    return "odt"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
            return "zip"
    except zipfile.BadZipFile:
        return "xlsx"  # a damaged workbook: let the workbook reader say what is wrong with it
    finally:
        binary.seek(0)
