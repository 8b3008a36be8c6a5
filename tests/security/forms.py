"""Reading the POST forms of a page and filling them, for the bad-input tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, select, hidden, checkbox, radio, file, email...
    value: str = ""
    options: list[str] = field(default_factory=list)
    required: bool = False
    multiple: bool = False
    maxlength: int | None = None


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(
                    action=a.get("action", ""),
                    multipart="multipart" in a.get("enctype", ""),
                )
                self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            name = a["name"]
            old = form.fields.get(name)
            if kind in ("checkbox", "radio"):
                if old is None:
                    old = form.fields[name] = Field(name, kind, required="required" in a)
                old.options.append(a.get("value", "on"))
                if "checked" in a:
                    old.value = a.get("value", "on")
                return
            form.fields[name] = Field(
                name,
                kind,
                a.get("value", ""),
                required="required" in a,
                maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
            )
        elif tag == "textarea":
            self._textarea = form.fields[a["name"]] = Field(
                a["name"],
                "textarea",
                required="required" in a,
                maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
            )
        elif tag == "select":
            self._select = form.fields[a["name"]] = Field(
                a["name"], "select", required="required" in a, multiple="multiple" in a
            )
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.value = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def post_forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def filled(form: Form) -> dict[str, object]:
    """A plausible submission: what the page shows, with empty required fields filled."""
    data: dict[str, object] = {}
    today = date.today().isoformat()
    for f in form.fields.values():
        if f.kind == "file":
            continue
        value = f.value
        if f.kind == "select":
            choices = [o for o in f.options if o]
            value = value or (choices[0] if choices else "")
        elif f.kind in ("checkbox", "radio"):
            if not value and f.required and f.options:
                value = f.options[0]
            if not value:
                continue
        elif not value:
            value = {
                "number": "1",
                "date": today,
                "datetime-local": f"{today}T08:00",
                "time": "08:00",
                "email": "ubnd@example.vn",
                "url": "https://example.vn/tin",
                "tel": "0912345678",
            }.get(f.kind, "Nội dung thử nghiệm" if f.required else "")
        data[f.name] = value
    return data
