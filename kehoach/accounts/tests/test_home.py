from kehoach.accounts.models import Membership, Role
from kehoach.core.testing import client_for


def test_home_lists_each_of_the_persons_units_and_roles(world) -> None:
    Membership.objects.create(user=world.secretary, unit=world.committee, role=Role.VIEWER)
    html = client_for(world.secretary).get("/").content.decode()
    assert "Chi bộ Tổ dân phố số 1" in html
    assert "Ủy ban nhân dân phường" in html
    assert "Chỉ xem" in html
    assert "Chi bộ Tổ dân phố số 2" not in html


def test_home_tells_a_person_without_units_what_to_do(world) -> None:
    Membership.objects.filter(user=world.secretary).delete()
    html = client_for(world.secretary).get("/").content.decode()
    assert "chưa được phân quyền" in html


def test_navigation_shows_administration_only_to_administrators(world) -> None:
    assert "/nhat-ky/" not in client_for(world.coordinator).get("/").content.decode()
    assert "/nhat-ky/" in client_for(world.admin).get("/").content.decode()
    assert "/quan-tri-du-lieu/" not in client_for(world.coordinator).get("/").content.decode()
    assert "/quan-tri-du-lieu/" in client_for(world.admin).get("/").content.decode()


def test_everyone_reaches_their_account_page_from_the_menu_even_on_a_phone(world) -> None:
    # The name in the header is hidden on a small screen; the menu item is not.
    html = client_for(world.secretary).get("/").content.decode()
    assert 'href="/tai-khoan/bao-mat/"' in html


def test_the_home_page_query_count_does_not_grow_with_memberships(
    world, django_assert_num_queries
) -> None:
    client = client_for(world.secretary)
    client.get("/")
    with django_assert_num_queries(6) as before:
        client.get("/")
    for unit in (world.cell2, world.committee, world.board):
        Membership.objects.create(user=world.secretary, unit=unit, role=Role.VIEWER)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get("/")
