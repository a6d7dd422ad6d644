"""Workers at rest: encryption, the keyed hash, derived fields, uniqueness and the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings

from labor import selectors, services
from labor.models import ID_NUMBER_TAKEN, Worker
from labor.personal_data import search_hash
from tests.labor.factories import WorkerFactory, make_id_number


def _raw_rows(table: str) -> list[str]:
    """Every column of every row of ``table`` as text, straight from PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT t::text FROM "{table}" AS t')
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
class TestEncryptionAtRest:
    def test_raw_columns_and_history_hold_no_plain_number(self, regions):
        id_number = make_id_number(42)
        worker = services.worker_create(
            name="吉克阿依", id_number=id_number, hometown=regions["village"], phone="13812345678"
        )
        services.worker_update(worker=worker, name="吉克阿衣", phone="13987654321")
        rows = _raw_rows("labor_worker") + _raw_rows("labor_historicalworker")
        assert len(rows) == 3
        dump = "\n".join(rows)
        for secret in (id_number, id_number[6:], "13812345678", "13987654321", "12345678"):
            assert secret not in dump
        stored = Worker.objects.get()
        assert stored.id_number_hash == search_hash(id_number)
        assert stored.id_number_cipher.startswith("gAAAA")  # a Fernet token
        assert stored.id_number == id_number and stored.phone == "13987654321"

    def test_equal_numbers_encrypt_differently_but_hash_alike(self, regions):
        a = Worker(name="a", id_number=make_id_number(1), hometown=regions["zhaojue"])
        b = Worker(name="b", id_number=make_id_number(1), hometown=regions["zhaojue"])
        assert a.id_number_cipher != b.id_number_cipher
        assert a.id_number_hash == b.id_number_hash

    def test_hash_depends_on_the_key(self):
        value = make_id_number(3)
        first = search_hash(value)
        with override_settings(PERSONAL_DATA_KEY="c2Vjb25kLWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OWFi"):
            assert search_hash(value) != first

    def test_unchanged_number_is_not_re_encrypted(self, regions):
        worker = WorkerFactory(hometown=regions["zhaojue"])
        cipher = worker.id_number_cipher
        updated = services.worker_update(worker=worker, id_number=worker.id_number, poverty_alleviated=True)
        assert updated.id_number_cipher == cipher
        assert updated.history.count() == 2


@pytest.mark.django_db
class TestWorkerRules:
    def test_gender_and_birth_date_are_derived(self, regions):
        female = make_id_number(1, birth_date=datetime.date(1995, 7, 14), gender="female")
        worker = services.worker_create(name="x", id_number=female, hometown=regions["zhaojue"])
        assert (worker.gender, worker.birth_date) == ("female", datetime.date(1995, 7, 14))
        male = make_id_number(2, birth_date=datetime.date(1988, 2, 29), gender="male")
        worker = services.worker_update(worker=worker, id_number=male)
        assert (worker.gender, worker.birth_date) == ("male", datetime.date(1988, 2, 29))

    def test_str_is_masked(self, regions):
        worker = WorkerFactory(name="阿木", id_number="11010519491231002X", hometown=regions["zhaojue"])
        assert str(worker) == "阿木 (110105********002X)"

    def test_duplicate_id_number_is_refused_without_echo(self, regions):
        number = make_id_number(5)
        WorkerFactory(id_number=number, hometown=regions["zhaojue"])
        with pytest.raises(ValidationError) as info:
            services.worker_create(name="y", id_number=number.lower(), hometown=regions["zhaojue"])
        assert list(info.value.message_dict) == ["id_number"]
        assert info.value.message_dict["id_number"] == [str(ID_NUMBER_TAKEN)]
        assert number not in str(info.value)

    def test_hometown_must_be_west_and_id_required(self, regions):
        with pytest.raises(ValidationError) as info:
            services.worker_create(name="z", hometown=regions["yuyao"])
        assert set(info.value.message_dict) == {"hometown", "id_number"}

    def test_external_id_unique_when_set(self, regions):
        WorkerFactory(hometown=regions["zhaojue"], external_id="R-1")
        WorkerFactory(hometown=regions["zhaojue"], external_id=None)
        services.worker_create(name="n", id_number=make_id_number(900), hometown=regions["zhaojue"], external_id="")
        with pytest.raises(ValidationError) as info:
            services.worker_create(
                name="n", id_number=make_id_number(901), hometown=regions["zhaojue"], external_id="R-1"
            )
        assert list(info.value.message_dict) == ["external_id"]

    def test_lookup_by_full_number(self, regions):
        worker = WorkerFactory(id_number="11010519491231002X", hometown=regions["zhaojue"])
        assert selectors.worker_by_id_number("11010519491231002x") == worker
        assert selectors.worker_by_id_number(make_id_number(77)) is None
