"""Target pages: catalogue with status and bars, detail with chart and figure form, upkeep,
Excel import and export. Another ward's indicator is 404; the wrong role is 403."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from kehoach.accounts.models import Role
from kehoach.core.testing import client_for, make_user
from kehoach.indicators import services
from kehoach.indicators.demo import load_demo_targets
from kehoach.indicators.models import Indicator, Measurement
from kehoach.indicators.tests.test_services import create, row, workbook


@pytest.fixture
def indicator(world):
    return create(world)


def test_the_catalogue_shows_every_indicator_with_its_status(world):
    load_demo_targets(world.ward, world.coordinator)
    response = client_for(world.secretary).get(reverse("indicators:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for pk in Indicator.objects.values_list("pk", flat=True):
        assert f'id="indicator-{pk}"' in html
    assert 'data-status="' in html
    assert 'role="progressbar"' in html
    assert 'id="add-indicator"' not in html


def test_the_catalogue_hides_another_wards_indicators(world, indicator):
    response = client_for(world.outsider).get(reverse("indicators:list"))
    assert f'id="indicator-{indicator.pk}"' not in response.content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_the_catalogue_takes_the_same_queries_for_more_indicators(
    world, count, django_assert_max_num_queries
):
    for n in range(count):
        ind = create(world, name=f"Chỉ tiêu {n}")
        Measurement.objects.create(indicator=ind, as_of=date(2026, 1, 5), value=D(1), source="s")
    client = client_for(world.coordinator)
    client.get(reverse("indicators:list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("indicators:list")).status_code == 200


def test_the_detail_shows_the_history_chart_and_the_form_to_the_responsible_unit(world, indicator):
    Measurement.objects.create(
        indicator=indicator, as_of=date(2026, 3, 31), value=D(110), source="s"
    )
    officer = make_user("ubnd", unit=world.committee, role=Role.OFFICER)
    html = (
        client_for(officer).get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    )
    assert 'id="history-chart"' in html
    assert 'id="chart-path"' in html
    assert html.count('class="figure"') == 1
    assert 'id="measurement-form"' in html


def test_the_detail_has_no_figure_form_for_another_unit(world, indicator):
    response = client_for(world.secretary).get(reverse("indicators:detail", args=[indicator.pk]))
    assert response.status_code == 200
    assert 'id="measurement-form"' not in response.content.decode()


def test_another_wards_indicator_is_not_found(world, indicator):
    response = client_for(world.outsider).get(reverse("indicators:detail", args=[indicator.pk]))
    assert response.status_code == 404


def test_the_detail_marks_example_figures(world):
    load_demo_targets(world.ward, world.coordinator)
    indicator = Indicator.objects.first()
    html = (
        client_for(world.coordinator)
        .get(reverse("indicators:detail", args=[indicator.pk]))
        .content.decode()
    )
    assert 'id="example-note"' in html
    assert 'class="tag example-tag"' in html


def measure_data(**extra):
    return {
        "period_label": "Quý I/2026",
        "as_of": "2026-03-31",
        "value": "110,5",
        "source": "Báo cáo UBND",
    } | extra


def test_the_responsible_unit_records_a_figure(world, indicator):
    officer = make_user("ubnd", unit=world.committee, role=Role.OFFICER)
    url = reverse("indicators:measure", args=[indicator.pk])
    response = client_for(officer).post(url, measure_data())
    assert response.status_code == 302
    assert Measurement.objects.get().value == D("110.5")


def test_a_figure_without_a_source_is_refused(world, indicator):
    url = reverse("indicators:measure", args=[indicator.pk])
    response = client_for(world.coordinator).post(url, measure_data(source=""))
    assert response.status_code == 422
    assert not Measurement.objects.exists()


def test_another_unit_may_not_record_a_figure(world, indicator):
    url = reverse("indicators:measure", args=[indicator.pk])
    assert client_for(world.secretary).post(url, measure_data()).status_code == 403
    assert client_for(world.outsider).post(url, measure_data()).status_code == 404
    assert not Measurement.objects.exists()


def test_the_coordinator_adds_an_indicator_through_the_form(world):
    data = {
        "programme": "CTr 20",
        "name": "Số hộ nghèo",
        "measure": "hộ",
        "direction": "lower",
        "baseline": "42",
        "baseline_year": "2025",
        "responsible": world.committee.pk,
        "target_2030": "0",
    }
    response = client_for(world.coordinator).post(reverse("indicators:create"), data)
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.targets.get().year == 2030


def test_the_coordinator_edits_an_indicator(world, indicator):
    client = client_for(world.coordinator)
    url = reverse("indicators:edit", args=[indicator.pk])
    assert client.get(url).status_code == 200
    data = {
        "programme": "CTr 20",
        "name": "Thu NSNN",
        "measure": "tỷ đồng",
        "direction": "higher",
        "baseline": "100",
        "baseline_year": "2025",
        "responsible": world.committee.pk,
        "target_2026": "160",
    }
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Thu NSNN"
    assert indicator.targets.get(year=2026).value == D(160)


@pytest.mark.parametrize("name", ["indicators:create", "indicators:import", "indicators:export"])
def test_catalogue_upkeep_is_refused_to_a_unit_head(world, name):
    assert client_for(world.secretary).get(reverse(name)).status_code == 403


def test_editing_is_refused_to_a_unit_head(world, indicator):
    url = reverse("indicators:edit", args=[indicator.pk])
    assert client_for(world.secretary).get(url).status_code == 403


def test_the_coordinator_imports_and_exports_excel(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.coordinator)
    upload = SimpleUploadedFile("chi-tieu.xlsx", workbook([row()]))
    response = client.post(reverse("indicators:import"), {"file": upload})
    assert response.status_code == 302
    assert Indicator.objects.filter(ward=world.ward).count() == 1
    response = client.get(reverse("indicators:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_import_with_a_bad_row_lists_it_and_saves_nothing(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.xlsx", workbook([row(unit="Không có")]))
    response = client_for(world.coordinator).post(reverse("indicators:import"), {"file": upload})
    assert response.status_code == 422
    assert 'id="import-errors"' in response.content.decode()
    assert not Indicator.objects.exists()


def test_the_services_module_is_what_the_views_call(world, indicator):
    # guards the measurement path against a view bypassing the service (entered_by is set)
    client_for(world.coordinator).post(
        reverse("indicators:measure", args=[indicator.pk]), measure_data()
    )
    assert Measurement.objects.get().entered_by == world.coordinator
    assert services.record_measurement
