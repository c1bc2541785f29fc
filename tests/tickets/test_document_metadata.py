"""A mediation document's PDF metadata names what it is and nothing else (no software, dates or
author): a file passed on says nothing the page does not. Needs no poppler: the PDF's objects are
read with zlib."""

import re
import zlib

from outcome_fixtures import SESSION, agreement_payload, file_case

from bot.service.documents import render_pdf


def test_a_document_says_in_its_metadata_only_what_it_is(sqlite_store):
    code = file_case(sqlite_store, "debt", "meta-a")["code"]
    sqlite_store.record_session(code, SESSION, "张建国")
    sqlite_store.record_outcome(code, agreement_payload("debt"), "张建国")
    pdf = _objects(render_pdf(sqlite_store.document_data(code, "agreement"), sqlite_store.profile))
    assert b"/Title" in pdf
    for leak in (b"WeasyPrint", b"/Producer", b"/Creator", b"/Author", b"/CreationDate", b"/ModDate"):
        assert leak not in pdf, leak


def _objects(pdf: bytes) -> bytes:
    """The PDF with every compressed stream (object streams hold the information dictionary) inflated."""
    inflated = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)
