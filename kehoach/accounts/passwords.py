"""Password rules are Django's validators (settings.AUTH_PASSWORD_VALIDATORS).

Django 5.x words the minimum-length message with %d, which Django's own Vietnamese catalogue
does not have yet. Naming the message here makes makemessages put it in ours, so a short
password is refused in Vietnamese too.
"""

from django.utils.translation import ngettext_lazy

MINIMUM_LENGTH_MESSAGE = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
