"""Which models are audited and which of their fields never enter the log."""

from django.db import models

_registry: dict[type[models.Model], frozenset[str]] = {}
# Secrets are recorded only as "changed", never their value.
MASKED_FIELDS = frozenset({"password", "key_hash"})
MASK = "••••••"


def register(model: type[models.Model], exclude: tuple[str, ...] = ()) -> None:
    _registry[model] = frozenset(exclude)


def is_audited(model: type[models.Model]) -> bool:
    return model in _registry


def excluded_fields(model: type[models.Model]) -> frozenset[str]:
    return _registry.get(model, frozenset())


def audited_models() -> list[type[models.Model]]:
    return list(_registry)
