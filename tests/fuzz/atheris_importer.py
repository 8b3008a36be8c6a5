"""Coverage-guided fuzzing of the plan importer with atheris (libFuzzer).

    .venv/bin/python tests/fuzz/atheris_importer.py -runs=20000 -max_total_time=120

Every input is tried as a .txt, .docx, .pdf and .htm upload (the first byte chooses). The
contract: a plan (ParsedPlan) or PlanReadError with a message, nothing else, never a hang
(-timeout). Seeds: the corpus plans, as text and as a .docx built from them.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from kehoach.plans.importer.parser import import_document
    from kehoach.plans.importer.result import PlanReadError

CORPUS = Path(__file__).resolve().parents[2] / "kehoach" / "plans" / "tests" / "corpus"
NAMES = ("plan.txt", "plan.docx", "plan.pdf", "plan.htm")
MAX_BYTES = 512 * 1024


def target(data: bytes) -> None:
    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    try:
        plan = import_document(data[1:], name, MAX_BYTES)
    except PlanReadError as exc:
        if not exc.message:
            raise AssertionError("a refusal without a message") from exc
        return
    if plan is None:
        raise AssertionError("no plan and no refusal")


def _docx(text: str) -> bytes:
    """A minimal .docx of the text, one paragraph a line (python-docx would do the same)."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>'
        for line in text.replace("&", "&amp;").replace("<", "&lt;").splitlines()
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicatio'
            'n/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentTy'
            'pe="application/xml"/><Override PartName="/word/document.xml" ContentType="applica'
            'tion/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schem'
            'as.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="w'
            'ord/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", document)
    return out.getvalue()


def seeds(folder: Path) -> None:
    """Writes the seed inputs into `folder` (libFuzzer reads a corpus directory)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(sorted(CORPUS.glob("*.txt"))[:8]):
        text = path.read_bytes()
        (folder / f"{i}-txt").write_bytes(bytes([0]) + text)
        (folder / f"{i}-docx").write_bytes(
            bytes([1]) + _docx(text.decode("utf-8", errors="replace"))
        )


if __name__ == "__main__":
    args = sys.argv[:]
    corpus_dirs = [a for a in args[1:] if not a.startswith("-")]
    for d in corpus_dirs:
        if not any(Path(d).glob("*")):
            seeds(Path(d))
    atheris.Setup(args, target)
    atheris.Fuzz()
