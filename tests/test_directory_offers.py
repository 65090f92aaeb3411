"""Each department's offer kept on its row (portal.directory.offers): how many active
services it has and the sum of their popularity, recounted in the transaction of every write
to a service, whichever way it is written; the home page and the A-to-Z read them."""

from __future__ import annotations

from sqlalchemy import insert, select, text, update

from portal.admin.merge import merge_departments
from portal.directory import offers
from portal.extensions import db
from portal.manage.services import catalogue
from portal.models import Department, Service
from tests import factories
from tests.statements import count_statements


def offer(department: Department) -> tuple[int, int]:
    """(active services, their popularity) as the row holds them now."""
    row = db.session.execute(
        select(Department.offered_services, Department.offered_popularity).where(
            Department.id == department.id
        )
    ).one()
    return tuple(row)


def test_a_new_service_counts_and_an_archived_one_stops_counting(app):
    it = factories.make_department(name="IT", slug="it")
    assert offer(it) == (0, 0)
    laptop = factories.make_service(it, name="Laptop", popularity=40)
    factories.make_service(it, name="Printer", popularity=2)
    assert offer(it) == (2, 42)

    iris = factories.make_user(roles={it: "manager"})
    catalogue.set_service_archived(iris, it, laptop, archived=True)
    assert offer(it) == (1, 2)
    catalogue.set_service_archived(iris, it, laptop, archived=False)
    assert offer(it) == (2, 42)


def test_a_new_weight_a_move_and_a_deletion_are_counted_where_they_land(app):
    it = factories.make_department(name="IT", slug="it")
    hr = factories.make_department(name="HR", slug="hr")
    laptop = factories.make_service(it, popularity=40)
    payslip = factories.make_service(hr, popularity=5)

    laptop.popularity = 50
    db.session.commit()
    assert offer(it) == (1, 50)

    laptop.department_id = hr.id  # moved: counted off the old department, on the new
    db.session.commit()
    assert (offer(it), offer(hr)) == ((0, 0), (2, 55))

    db.session.delete(payslip)
    db.session.commit()
    assert offer(hr) == (1, 50)


def test_a_name_change_writes_no_recount(app):
    it = factories.make_department()
    service = factories.make_service(it, popularity=3)
    with count_statements() as seen:
        service.name = "Renamed"
        db.session.commit()
    assert seen and not [s for s in seen if s.startswith("UPDATE department SET offered")]
    assert offer(it) == (1, 3)


def test_merging_departments_moves_the_offer(app):
    admin = factories.make_user(is_admin=True)
    it = factories.make_department(name="IT", slug="it")
    desk = factories.make_department(name="Desk", slug="desk")
    factories.make_service(it, popularity=4)
    factories.make_service(desk, popularity=6)
    factories.make_service(desk, popularity=1)
    merge_departments(admin, desk, it)
    assert (offer(it), offer(desk)) == ((3, 11), (0, 0))


def test_bulk_statements_are_recounted_before_they_commit(app):
    it = factories.make_department()
    db.session.execute(
        insert(Service),
        [
            {"department_id": it.id, "slug": f"bulk-{n}", "name": f"Bulk {n}", "popularity": n}
            for n in range(1, 5)
        ],
    )
    db.session.commit()
    assert offer(it) == (4, 10)

    db.session.execute(update(Service).where(Service.popularity > 2).values(active=False))
    db.session.commit()
    assert offer(it) == (2, 3)


def test_a_rolled_back_change_leaves_the_offer_as_it_was(app):
    it = factories.make_department()
    factories.make_service(it, popularity=7)
    assert it.offered_services == 1  # loaded, then held by the session
    db.session.add(Service(department_id=it.id, slug="maybe", name="Maybe", popularity=9))
    db.session.flush()
    assert offer(it) == (2, 16)  # in the transaction
    assert (it.offered_services, it.offered_popularity) == (2, 16)  # not the figures held
    db.session.rollback()
    assert offer(it) == (1, 7)
    db.session.commit()  # nothing left over to recount
    assert offer(it) == (1, 7)


def test_recount_mends_figures_written_past_the_session(app):
    it = factories.make_department()
    hr = factories.make_department()
    factories.make_service(it, popularity=7)
    db.session.execute(text("UPDATE department SET offered_services = 99, offered_popularity = 99"))
    offers.recount(db.session, [it.id])
    assert (offer(it), offer(hr)) == ((1, 7), (99, 99))
    offers.recount(db.session)
    db.session.commit()
    assert (offer(it), offer(hr)) == ((1, 7), (0, 0))


def test_the_home_page_counts_from_the_row(client, login, app):
    it = factories.make_department(name="IT", slug="it")
    factories.make_service(it, name="Laptop")
    factories.make_service(it, name="Printer")
    factories.make_service(it, name="Old", active=False)
    factories.make_department(name="Empty", slug="empty")  # offers nothing: no card
    login(factories.make_user())
    html = client.get("/").get_data(as_text=True)
    assert "2 services" in html and "Empty" not in html
