"""The Countersign API over urllib, webhook verification over hmac, and the approval decorator."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import inspect
import json
import math
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, Mapping, Optional, TypeVar

LONG_POLL_SECONDS = 30
F = TypeVar("F", bound=Callable[..., Any])


class CountersignError(Exception):
    """A non-2xx answer, with its RFC 9457 problem (``status`` 0 when no answer arrived)."""

    def __init__(self, problem: Dict[str, Any], retry_after: Optional[float] = None):
        self.problem = problem
        self.status = int(problem.get("status") or 0)
        self.title = str(problem.get("title") or "Request failed")
        self.detail = str(problem.get("detail") or "")
        self.errors = problem.get("errors")
        self.retry_after = retry_after
        super().__init__(f"{self.status} {self.title}: {self.detail}".strip())


class ReviewRejected(Exception):
    """The review ended without approval: rejected, changes requested, expired or cancelled."""

    def __init__(self, review: Dict[str, Any], reason: str):
        self.review = review
        self.review_id = review.get("id")
        self.status = review.get("status")
        decision = review.get("decision") or {}
        self.outcome = decision.get("outcome") or self.status
        self.reason = reason
        super().__init__(reason)


class ApprovalTimeout(ReviewRejected):
    """No decision arrived before the deadline: not approved."""


def canonical_json(value: Any) -> str:
    """RFC 8785 canonical JSON for the values Countersign hashes (keys by UTF-16 code units, no spaces)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("Non-finite numbers have no JSON form")
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: kv[0].encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_json(v) for k, v in items) + "}"
    raise TypeError(f"Cannot canonicalize {type(value).__name__}")


def action_hash(action: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the action's canonical JSON: what a decision's ``actionHash`` is."""
    return hashlib.sha256(canonical_json(action).encode("utf-8")).hexdigest()


def _header(headers: Mapping[str, Any], name: str) -> Optional[str]:
    for key, value in headers.items():
        if key.lower() == name:
            return value[0] if isinstance(value, (list, tuple)) else value
    return None


def verify_webhook(headers: Mapping[str, Any], body: Any, secret: str, tolerance_seconds: int = 300, now: Optional[float] = None) -> Dict[str, Any]:
    """Verifies a Standard Webhooks delivery and returns its parsed body; raises ValueError when it doesn't verify.

    Pass the raw body exactly as received (bytes or str)."""
    encoded = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    key = base64.b64decode(encoded)
    if not key:
        raise ValueError("A webhook secret must look like whsec_<base64>.")
    raw = body if isinstance(body, bytes) else str(body).encode("utf-8")
    msg_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not timestamp or not signatures or not timestamp.isdigit() or len(timestamp) > 15:
        raise ValueError("The webhook is missing its id, timestamp or signature.")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance_seconds:
        raise ValueError("The webhook's timestamp is too far from now.")
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode("utf-8") + raw, hashlib.sha256).digest()).decode("ascii")
    for entry in signatures.split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and signature and hmac.compare_digest(signature, expected):
            return json.loads(raw.decode("utf-8"))
    raise ValueError("The webhook signature did not verify.")


def refusal_reason(review: Dict[str, Any]) -> str:
    """What the caller is told when a review ends without approval."""
    status = review.get("status")
    if status == "expired":
        return "Not approved: the review expired before anyone decided it."
    if status == "cancelled":
        return "Not approved: the review was cancelled."
    if status == "pending":
        return "Not approved: no decision arrived in time."
    decision = review.get("decision") or {}
    reviewer = decision.get("reviewer") or {}
    parts = []
    if decision.get("reason"):
        parts.append(f"Reason: {json.dumps(decision['reason'])}.")
    for field in ("instruction", "instructions", "changes"):
        if isinstance(decision.get(field), str) and decision[field].strip():
            parts.append(f"Instruction: {json.dumps(decision[field])}.")
    if decision.get("note"):
        parts.append(f"Reviewer's note: {json.dumps(decision['note'])}.")
    what = "Changes requested" if decision.get("outcome") == "changes_requested" else "Rejected"
    by = f" by {reviewer['name']}" if reviewer.get("name") else ""
    return f"{what}{by}: {' '.join(parts) or 'No reason given.'}"


class Countersign:
    """A client for one organization's API key. ``url`` is the app's origin (``.../api/v1`` works too)."""

    def __init__(self, url: str, api_key: str, timeout: float = 60, max_retries: int = 3):
        if not api_key:
            raise ValueError("Countersign needs an api_key.")
        root = url.rstrip("/")
        self.root = root if root.endswith("/api/v1") else root + "/api/v1"
        self.api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries

    def _request(self, method: str, path: str, body: Any = None, query: Optional[Dict[str, Any]] = None, idempotency_key: Optional[str] = None, timeout: Optional[float] = None) -> Any:
        url = self.root + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {"authorization": f"Bearer {self.api_key}", "accept": "application/json", "user-agent": "countersign-python/0.1"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["content-type"] = "application/json"
        if idempotency_key:
            headers["idempotency-key"] = idempotency_key
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                try:
                    problem = json.loads(text)
                except ValueError:
                    problem = {"title": e.reason or "Request failed", "detail": text[:200]}
                problem["status"] = e.code
                retry_after_text = e.headers.get("retry-after")
                retry_after = float(retry_after_text) if retry_after_text and retry_after_text.isdigit() else None
                retryable = e.code in (429, 503) or (e.code == 409 and idempotency_key and retry_after is not None)
                delay = retry_after if retry_after is not None else 0.5 * 2 ** attempt
                if not retryable or attempt >= self.max_retries or delay > 30:
                    raise CountersignError(problem, retry_after) from None
                attempt += 1
                time.sleep(delay)
            except urllib.error.URLError as e:
                raise CountersignError({"status": 0, "title": "Network error", "detail": f"Couldn't reach {self.root}: {e.reason}"}) from e

    def request_review(self, task_type: str, action: Mapping[str, Any], *, idempotency_key: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
        """``POST /reviews``. Fields in snake_case or camelCase: title, draft, context, confidence, amount,
        attributes, priority, external_id, callback_url, expires_in_seconds, revision_of."""
        body: Dict[str, Any] = {"taskType": task_type, "action": dict(action)}
        for name, value in fields.items():
            if value is not None:
                head, *rest = name.split("_")
                body[head + "".join(w.capitalize() for w in rest)] = value
        return self._request("POST", "/reviews", body=body, idempotency_key=idempotency_key or str(uuid.uuid4()))

    def get_review(self, review_id: str, wait: Optional[int] = None) -> Dict[str, Any]:
        wait_timeout = self.timeout + (wait or 0)
        return self._request("GET", "/reviews/" + urllib.parse.quote(review_id, safe=""), query={"wait": wait}, timeout=wait_timeout)

    def wait_for_decision(self, review_id: str, timeout: float = 300) -> Dict[str, Any]:
        """Long-polls (30 s at a time) until the review leaves ``pending`` or ``timeout`` seconds pass;
        returns the review either way (still ``pending`` after a timeout: never treat that as approval)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = max(0, min(LONG_POLL_SECONDS, math.ceil(deadline - time.monotonic())))
            review = self.get_review(review_id, wait=remaining)
            if review.get("status") != "pending" or time.monotonic() >= deadline:
                return review

    def cancel(self, review_id: str) -> Dict[str, Any]:
        """Withdraws a pending review (a decided one answers 409)."""
        return self._request("POST", "/reviews/" + urllib.parse.quote(review_id, safe="") + "/cancel")

    def list_task_types(self) -> list:
        return self._request("GET", "/task-types")["data"]

    def request_approval(self, task_type: str, action: Mapping[str, Any], *, call_id: str, timeout: float = 3600, **fields: Any) -> Dict[str, Any]:
        """Submit keyed by ``call_id`` (a retry answers the same review), wait, and return the approved
        action (hash verified); raises ReviewRejected (or ApprovalTimeout) otherwise."""
        key = "cs-call-" + hashlib.sha256(call_id.encode("utf-8")).hexdigest()
        review = self.request_review(task_type, action, idempotency_key=key, **fields)
        if review.get("status") == "pending":
            review = self.wait_for_decision(review["id"], timeout=timeout)
        if review.get("status") == "pending":
            try:
                review = self.cancel(review["id"])
            except CountersignError:
                review = self.get_review(review["id"])
            if review.get("status") == "cancelled":
                raise ApprovalTimeout(review, refusal_reason({"status": "pending"}))
        decision = review.get("decision") or {}
        if review.get("status") != "approved":
            raise ReviewRejected(review, refusal_reason(review))
        if action_hash(decision["action"]) != str(decision.get("actionHash", "")).lower():
            raise CountersignError({"status": 0, "title": "Hash mismatch", "detail": f"Review {review['id']}: the decision's action does not match its actionHash; refusing to execute it."})
        return decision["action"]

    def requires_approval(self, task_type: Optional[str] = None, **options: Any) -> Callable[[F], F]:
        return requires_approval(task_type=task_type, client=self, **options)


def requires_approval(
    task_type: Optional[str] = None,
    *,
    client: Optional[Countersign] = None,
    title: Any = None,
    call_id: Optional[Callable[..., str]] = None,
    timeout: float = 3600,
    **fields: Any,
) -> Callable[[F], F]:
    """Gates a function behind a person's approval. The function's arguments (bound by name) are the
    action; approved → it runs with the approved, possibly edited, arguments; otherwise ReviewRejected
    is raised with the reviewer's reason. ``title`` may be a string or a function of the arguments;
    ``call_id(**arguments)`` gives a stable id for retries (default: a fresh one per call). Other
    keyword arguments (priority, confidence, context…) are sent with the review; callables among them
    are called with the arguments."""

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn)
        key = task_type or fn.__name__.lower()

        @functools.wraps(fn)
        def gated(*args: Any, **kwargs: Any) -> Any:
            cs = client
            if cs is None:
                raise RuntimeError("requires_approval needs client=Countersign(...) (or use cs.requires_approval).")
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            extra = {name: (value(**arguments) if callable(value) else value) for name, value in fields.items()}
            review_title = title(**arguments) if callable(title) else title
            cid = call_id(**arguments) if call_id else str(uuid.uuid4())
            approved = cs.request_approval(key, arguments, call_id=cid, timeout=timeout, title=review_title, **extra)
            return fn(**{name: approved[name] for name in signature.parameters if name in approved})

        return gated  # type: ignore[return-value]

    return decorate
