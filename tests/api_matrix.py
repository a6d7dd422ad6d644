"""Declarative permission-matrix tests for an API endpoint (NetBox style).

Subclass ``EndpointMatrix`` in an app's ``test_api.py``, set ``url`` (the collection path),
``make_record()`` (returns a stored record) and ``payload()`` (a valid create body), and it
checks every role against read, create, update and delete:

| role       | read | create | update | delete |
|------------|------|--------|--------|--------|
| anonymous  | 401  | 401    | 401    | 401    |
| no role    | 403  | 403    | 403    | 403    |
| official   | 200  | 403    | 403    | 403    |
| api client | 200  | 201    | 200    | 403    |
| staff      | 200  | 201    | 200    | 403    |
| admin      | 200  | 201    | 200    | 204    |
"""

import pytest

EXPECTED = {
    None: {"read": 401, "create": 401, "update": 401, "delete": 401},
    "norole": {"read": 403, "create": 403, "update": 403, "delete": 403},
    "official": {"read": 200, "create": 403, "update": 403, "delete": 403},
    "api": {"read": 200, "create": 201, "update": 200, "delete": 403},
    "staff": {"read": 200, "create": 201, "update": 200, "delete": 403},
    "admin": {"read": 200, "create": 201, "update": 200, "delete": 204},
}
ROLES = list(EXPECTED)


@pytest.mark.django_db
class EndpointMatrix:
    url: str = ""

    def make_record(self):
        raise NotImplementedError

    def payload(self) -> dict:
        raise NotImplementedError

    def update_payload(self, record) -> dict:
        """A valid partial update; defaults to the create payload."""
        return self.payload()

    def _client(self, api_client_for, make_user, role):
        if role == "norole":
            return api_client_for(user=make_user(None))
        return api_client_for(role)

    @pytest.mark.parametrize("role", ROLES)
    def test_read(self, role, api_client_for, make_user):
        record = self.make_record()
        client = self._client(api_client_for, make_user, role)
        listing = client.get(self.url)
        detail = client.get(f"{self.url}{record.pk}/")
        assert listing.status_code == EXPECTED[role]["read"], listing.content
        assert detail.status_code == EXPECTED[role]["read"], detail.content
        if listing.status_code == 200:
            assert set(listing.json()) == {"count", "next", "previous", "results"}
            assert record.pk in [row["id"] for row in listing.json()["results"]]

    @pytest.mark.parametrize("role", ROLES)
    def test_create(self, role, api_client_for, make_user):
        client = self._client(api_client_for, make_user, role)
        response = client.post(self.url, self.payload(), format="json")
        assert response.status_code == EXPECTED[role]["create"], response.content

    @pytest.mark.parametrize("role", ROLES)
    def test_update(self, role, api_client_for, make_user):
        record = self.make_record()
        client = self._client(api_client_for, make_user, role)
        response = client.patch(f"{self.url}{record.pk}/", self.update_payload(record), format="json")
        assert response.status_code == EXPECTED[role]["update"], response.content

    @pytest.mark.parametrize("role", ROLES)
    def test_delete(self, role, api_client_for, make_user):
        record = self.make_record()
        client = self._client(api_client_for, make_user, role)
        response = client.delete(f"{self.url}{record.pk}/")
        assert response.status_code == EXPECTED[role]["delete"], response.content
        still_there = type(record).objects.filter(pk=record.pk).exists()
        assert still_there is (EXPECTED[role]["delete"] != 204)
