"""Schemathesis hooks for the fuzz run with custom auth on (api-fuzz-auth.test.ts).

Each generated request carries one of the credentials in FUZZ_AUTH_HEADERS, picked from the
request itself so that a reproduced case gets the same one: no token, garbage, an expired
token, one signed with another key, `alg: none`, or the valid token of a user (bob). Without a
valid token every answer must be 401 (never a 5xx, never data); with it, the shared checks hold.
"""
import json
import os
import zlib

import schemathesis
from hooks import client_error_has_detail  # noqa: F401  (registers the shared check)

CREDENTIALS = json.loads(os.environ["FUZZ_AUTH_HEADERS"])
VALID = CREDENTIALS["valid"]
CHOICES = [*CREDENTIALS["refused"], VALID]
PUBLIC_PATHS = {"/ok", "/info", "/openapi.json", "/docs"}
# Methods a fetch Request cannot carry: no route serves them, so they are not found, unauthenticated.
UNROUTABLE_METHODS = {"OPTIONS", "CONNECT", "TRACE", "TRACK"}


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    key = f"{case.method} {case.formatted_path} {case.query!r} {case.body!r}".encode()
    chosen = CHOICES[zlib.crc32(key) % len(CHOICES)]
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    if chosen is not None:
        case.headers["authorization"] = chosen


@schemathesis.check
def refused_without_valid_token(ctx, response, case):
    """A request without a valid bearer token is refused with 401 before anything else happens."""
    given = (case.headers or {}).get("authorization")
    if given == VALID or case.method.upper() in UNROUTABLE_METHODS or case.operation.path in PUBLIC_PATHS:
        return
    if response.status_code != 401:
        raise AssertionError(f"{given!r} got {response.status_code}, not 401: {response.text[:200]!r}")


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    """A documented 501 (`not_implemented`, e.g. thread stream mode state_update) is an answer, not a crash."""
    if response is not None and response.status_code == 501:
        try:
            return response.json().get("code") != "not_implemented"
        except Exception:
            return True
    return True
