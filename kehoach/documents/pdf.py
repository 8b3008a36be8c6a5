""".docx → .pdf with LibreOffice headless.

Each conversion runs in its own temporary directory with its own LibreOffice user profile
(``-env:UserInstallation``), so concurrent conversions (several workers, several tests) do not
collide on the profile lock. Without Times New Roman on the server LibreOffice substitutes the
metric-compatible Liberation Serif or Tinos (packages fonts-liberation2, fonts-croscore).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

SOFFICE_NAMES = ("soffice", "libreoffice")


def gettext_noop(message: str) -> str:
    """Marks an English message for the Vietnamese catalogue without needing Django here."""
    return message


class PdfError(Exception):
    """Base of the conversion errors; ``code`` is stable, ``message`` is for gettext."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.code, self.message, self.params = code, message, params


class PdfUnavailable(PdfError):
    """LibreOffice is not installed (or not on PATH): PDF export is switched off."""


class PdfFailed(PdfError):
    """LibreOffice ran but produced no PDF, failed, or took too long."""


def find_soffice() -> str | None:
    """The LibreOffice executable: ``$KEHOACH_SOFFICE`` if set, else soffice/libreoffice."""
    configured = os.environ.get("KEHOACH_SOFFICE")
    if configured:
        return shutil.which(configured)
    for name in SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    return None


def docx_to_pdf(docx_bytes: bytes, timeout: int = 120, *, soffice: str | None = None) -> bytes:
    """Convert a .docx (bytes) to a PDF (bytes).

    Raises ``PdfUnavailable`` when LibreOffice cannot be found and ``PdfFailed`` when the
    conversion fails or runs longer than ``timeout`` seconds (the process group is killed).
    """
    executable = shutil.which(soffice) if soffice else find_soffice()
    if executable is None:
        raise PdfUnavailable(
            "soffice_missing",
            gettext_noop(
                "PDF export needs LibreOffice, which is not installed on the server "
                "(looked for %(names)s)."
            ),
            names=", ".join([soffice] if soffice else SOFFICE_NAMES),
        )
    with tempfile.TemporaryDirectory(prefix="kehoach-pdf-") as work:
        work_dir = Path(work)
        source = work_dir / "document.docx"
        source.write_bytes(docx_bytes)
        out_dir = work_dir / "out"
        out_dir.mkdir()
        command = [
            executable,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work_dir)}
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=work_dir,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise PdfFailed(
                "timeout",
                gettext_noop("LibreOffice did not finish the PDF within %(seconds)s seconds."),
                seconds=timeout,
            ) from None
        result = out_dir / "document.pdf"
        if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            detail = (stderr or stdout or b"").decode("utf-8", "replace").strip()[-500:]
            raise PdfFailed(
                "conversion_failed",
                gettext_noop(
                    "LibreOffice could not convert the document (exit %(exit_code)s): %(detail)s"
                ),
                exit_code=process.returncode,
                detail=detail or "no output",
            )
        return result.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
