from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kehoach.reports"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from kehoach.audit import registry
        from kehoach.reports import models as m

        for model in (m.ReportingPeriod, m.UnitReport, m.SummaryReport):
            registry.register(model, exclude=("updated_at",))
