"""ParsedPlan → .docx in the official format of its family (python-docx).

Every layout value comes from a ``FormatProfile`` (``kehoach.documents.profiles``); this
package only decides what goes where. Each heading, numbered item and bullet is its own
paragraph carrying its numbering as text ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "- …"), so
the document reads back into the same structure. The header and the recipients/signature block
are borderless tables.

- ``text``: the words (dates, numbers, recipients, signature, section order), pure;
- ``ooxml``: WordprocessingML pieces python-docx has no API for;
- ``document``: the document, block by block.
"""

from kehoach.documents.writer.document import render_docx
from kehoach.documents.writer.text import (
    TYPE_WORDS,
    authority_line,
    effective_sections,
    format_date,
    format_number_line,
    recipient_lines,
    roman,
)

__all__ = [
    "TYPE_WORDS",
    "authority_line",
    "effective_sections",
    "format_date",
    "format_number_line",
    "recipient_lines",
    "render_docx",
    "roman",
]
