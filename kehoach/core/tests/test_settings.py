import re

from django.conf import settings


def test_every_setting_read_from_the_environment_is_documented() -> None:
    source = (settings.BASE_DIR / "config" / "settings.py").read_text()
    used = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    example = (settings.BASE_DIR / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", example, flags=re.MULTILINE))
    assert used, "no environment variables found: the pattern is wrong"
    assert used - listed == set()
