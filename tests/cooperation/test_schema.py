"""Fuzz every endpoint of the live test server from its own OpenAPI schema (schemathesis).

Every endpoint added later is picked up automatically. For each operation hypothesis sends
generated requests as an administrator (who may do everything, deletes included) and checks
that no answer is a 5xx and that every answer matches the schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.factories import OrganizationFactory, region_tree

# Operations per test run are many: a handful of examples each keeps the suite fast while every
# run explores new inputs.
EXAMPLES = 6


@pytest.fixture
def fuzz_token(transactional_db, make_user):
    tree = region_tree()
    OrganizationFactory(region=tree["zhaojue"], kind="hospital")
    OrganizationFactory(region=tree["yuyao"], kind="school")
    user = make_user("admin", username="fuzzer")
    return Token.objects.create(user=user).key


@pytest.fixture
def api_schema(live_server, fuzz_token):
    loaded = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    loaded.config.update(base_url=live_server.url)
    # The coverage phase enumerates hundreds of boundary cases per operation; the random
    # fuzzing phase finds the same classes of failure within the suite's time budget.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_responses_match_schema(case, fuzz_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {fuzz_token}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
