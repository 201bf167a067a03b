"""Schemathesis hooks for the API fuzz run (loaded through SCHEMATHESIS_HOOKS)."""
import ast
import threading

import schemathesis

# Older CPythons (3.11.7 here) keep the AST constructor's recursion depth in state that all
# threads share, so two workers parsing at once (hypothesis describes a strategy's lambdas by
# parsing their source) may fail with "SystemError: AST constructor recursion depth mismatch"
# (python/cpython#106905, fixed in later releases), which schemathesis reports as a runtime
# error of the operation it was generating for, failing the run. One parse at a time avoids it.
_parse = ast.parse
_parse_lock = threading.Lock()


def _serialized_parse(*args, **kwargs):
    with _parse_lock:
        return _parse(*args, **kwargs)


ast.parse = _serialized_parse


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
