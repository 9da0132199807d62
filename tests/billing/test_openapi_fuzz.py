"""Property-based check of the published contract: no generated request gets a 5xx."""
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from bot.billing.app import create_app
from bot.billing.settings import BillingSettings

# FastAPI publishes OpenAPI 3.1; schemathesis 3.21 reads it behind this switch.
schemathesis.experimental.OPEN_API_3_1.enable()
# Building the app connects to nothing; only its OpenAPI document is read here.
schema = schemathesis.from_dict(create_app(BillingSettings(database_url="sqlite://")).openapi())


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_request_gets_a_server_error(case, server_url):
    response = case.call(base_url=server_url, timeout=30)
    case.validate_response(response, checks=(not_a_server_error,))


def test_the_contract_is_published(client):
    document = client.get("/openapi.json").json()
    assert {"/payments", "/verify", "/accounts/{account_number}/autopay", "/guest/lookup"} <= set(document["paths"])
    assert "amount_cents" in document["components"]["schemas"]["PaymentRequest"]["properties"]
