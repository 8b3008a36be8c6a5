"""The demo ward's breakthrough targets of Chương trình hành động 20-CTr/TU.

Every value here is an EXAMPLE (is_example=True, shown as "Example figures"), not an
official statistic: baselines, 2026–2030 targets and a few 2026 figures so the screens
show life. Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from kehoach.indicators import services
from kehoach.indicators.models import Direction, Indicator
from kehoach.org.models import Unit

PROGRAMME = "Chương trình hành động số 20-CTr/TU"
RESPONSIBLE = "Ủy ban nhân dân phường"
YEARS = (2026, 2027, 2028, 2029, 2030)

# name, measure, direction, baseline (2025), targets 2026–2030, figures in 2026
D = Decimal
TARGETS = [
    (
        "Tốc độ tăng trưởng GRDP (từ 13%/năm trở lên, phấn đấu 14%/năm)",
        "%",
        Direction.HIGHER,
        D("12.5"),
        (D("13"), D("13.5"), D("14"), D("14"), D("14")),
        [
            ("Quý I/2026", date(2026, 3, 31), D("12.9")),
            ("6 tháng/2026", date(2026, 6, 30), D("13.1")),
        ],
    ),
    (
        "Thu ngân sách nhà nước trên địa bàn",
        "tỷ đồng",
        Direction.HIGHER,
        D("850"),
        (D("950"), D("1050"), D("1160"), D("1280"), D("1400")),
        [
            ("Quý I/2026", date(2026, 3, 31), D("868")),
            ("6 tháng/2026", date(2026, 6, 30), D("890")),
        ],
    ),
    (
        "Kim ngạch xuất khẩu của doanh nghiệp trên địa bàn",
        "triệu USD",
        Direction.HIGHER,
        D("320"),
        (D("360"), D("405"), D("455"), D("510"), D("570")),
        [
            ("Quý I/2026", date(2026, 3, 31), D("331")),
            ("6 tháng/2026", date(2026, 6, 30), D("339")),
        ],
    ),
    (
        "Sản lượng hàng hóa qua cảng của doanh nghiệp trên địa bàn",
        "triệu tấn",
        Direction.HIGHER,
        D("4.2"),
        (D("4.6"), D("5.0"), D("5.5"), D("6.0"), D("6.5")),
        [
            ("Quý I/2026", date(2026, 3, 31), D("4.3")),
            ("6 tháng/2026", date(2026, 6, 30), D("4.4")),
        ],
    ),
    (
        "Số doanh nghiệp thành lập mới (lũy kế từ năm 2026)",
        "doanh nghiệp",
        Direction.HIGHER,
        D("0"),
        (D("120"), D("250"), D("390"), D("540"), D("700")),
        [("Quý I/2026", date(2026, 3, 31), D("31")), ("6 tháng/2026", date(2026, 6, 30), D("55"))],
    ),
    (
        "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo",
        "%",
        Direction.HIGHER,
        D("22"),
        (D("25"), D("28"), D("31"), D("35"), D("40")),
        [("6 tháng/2026", date(2026, 6, 30), D("23.8"))],
    ),
    (
        "Số căn hộ nhà ở xã hội hoàn thành (lũy kế)",
        "căn hộ",
        Direction.HIGHER,
        D("0"),
        (D("150"), D("400"), D("700"), D("1000"), D("1300")),
        [("6 tháng/2026", date(2026, 6, 30), D("40"))],
    ),
    (
        "Số hộ nghèo theo chuẩn của thành phố",
        "hộ",
        Direction.LOWER,
        D("42"),
        (D("30"), D("20"), D("10"), D("5"), D("0")),
        [("Quý I/2026", date(2026, 3, 31), D("39")), ("6 tháng/2026", date(2026, 6, 30), D("36"))],
    ),
]


def _topic(ward: Unit):
    from kehoach.plans.models import Topic

    return Topic.objects.filter(plan__unit=ward, title__contains="20-CTr/TU").order_by("pk").first()


def load_demo_targets(ward: Unit, coordinator) -> list[Indicator]:
    """The eight breakthrough targets with example values; idempotent."""
    responsible = Unit.objects.filter(path__startswith=ward.path, name=RESPONSIBLE).first()
    if responsible is None:
        responsible = ward
    topic = _topic(ward)
    source = _("Example figures")
    loaded = []
    for order, (name, measure, direction, baseline, targets, figures) in enumerate(TARGETS, 1):
        indicator = Indicator.objects.filter(ward=ward, programme=PROGRAMME, name=name).first()
        if indicator is None:
            indicator = services.create_indicator(
                actor=coordinator,
                ward=ward,
                programme=PROGRAMME,
                name=name,
                measure=measure,
                baseline=baseline,
                baseline_year=2025,
                direction=direction,
                responsible=responsible,
                topic=topic,
                is_example=True,
                order=order,
                targets=dict(zip(YEARS, targets, strict=True)),
            )
        for period_label, as_of, value in figures:
            if not indicator.measurements.filter(as_of=as_of).exists():
                services.record_measurement(
                    actor=coordinator,
                    indicator=indicator,
                    period_label=period_label,
                    as_of=as_of,
                    value=value,
                    source=source,
                )
        loaded.append(indicator)
    return loaded
