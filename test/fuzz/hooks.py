"""Schemathesis hooks for the API fuzz run (loaded through SCHEMATHESIS_HOOKS)."""
import schemathesis


@schemathesis.check
def client_error_has_detail(ctx, response, case):
    """A 4xx answer is JSON naming the problem: {"detail": ...} (never an HTML or empty body)."""
    # OPTIONS is CORS preflight, answered by @fastify/cors for browsers, not an API operation.
    if case.method.upper() == "OPTIONS":
        return
    if 400 <= response.status_code < 500:
        try:
            body = response.json()
        except Exception as err:  # any non-JSON body fails the check
            raise AssertionError(f"{response.status_code} body is not JSON: {response.text[:200]!r}") from err
        if not isinstance(body, dict) or not isinstance(body.get("detail"), str) or not body["detail"]:
            raise AssertionError(f"{response.status_code} body has no 'detail': {response.text[:200]!r}")
