"""python3 -m unittest (from clients/python). The offline tests always run; the others talk to a running
app: COUNTERSIGN_URL and COUNTERSIGN_API_KEY (the e2e app's demo key), and — for the decorator's
approve / edit / reject — a reviewer deciding in the app, which e2e/clients.spec.ts provides
(COUNTERSIGN_REVIEWER=robot: it approves, edits the amount to 30, or rejects, as each title says)."""

import base64
import hashlib
import hmac
import json
import os
import time
import unittest
import uuid

from countersign import ApprovalTimeout, Countersign, CountersignError, action_hash, canonical_json, verify_webhook

URL = os.environ.get("COUNTERSIGN_URL")
KEY = os.environ.get("COUNTERSIGN_API_KEY")
RUN = os.environ.get("COUNTERSIGN_TEST_RUN") or uuid.uuid4().hex[:8]
needs_app = unittest.skipUnless(URL and KEY, "set COUNTERSIGN_URL and COUNTERSIGN_API_KEY to run against the app")
needs_reviewer = unittest.skipUnless(URL and KEY and os.environ.get("COUNTERSIGN_REVIEWER") == "robot", "needs a reviewer deciding in the app (e2e/clients.spec.ts)")


class Offline(unittest.TestCase):
    def test_canonical_json_and_hash_match_the_server(self):
        self.assertEqual(canonical_json({"b": 1, "a": [1.0, "é", None, True]}), '{"a":[1,"é",null,true],"b":1}')
        self.assertEqual(action_hash({"b": 1, "a": 2}), hashlib.sha256(b'{"a":2,"b":1}').hexdigest())

    def test_verify_webhook(self):
        secret = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
        body = json.dumps({"type": "review.decided", "data": {"review": {"id": "r1"}}})
        ts = str(int(time.time()))
        sig = base64.b64encode(hmac.new(base64.b64decode(secret[6:]), f"msg_1.{ts}.{body}".encode(), hashlib.sha256).digest()).decode()
        headers = {"Webhook-Id": "msg_1", "Webhook-Timestamp": ts, "Webhook-Signature": f"v1,bogus v1,{sig}"}
        self.assertEqual(verify_webhook(headers, body.encode(), secret)["type"], "review.decided")
        with self.assertRaises(ValueError):
            verify_webhook(headers, body.replace("r1", "r2"), secret)
        with self.assertRaises(ValueError):
            verify_webhook(headers, body, secret, now=int(ts) + 301)


@needs_app
class AgainstTheApp(unittest.TestCase):
    def setUp(self):
        self.cs = Countersign(URL, api_key=KEY)

    def test_auto_approved_runs_at_once_with_the_arguments(self):
        ran = []

        # The demo's route.adjust runs in flag_on_exception: confident, within its rules, it is approved at once.
        @self.cs.requires_approval(task_type="route.adjust", confidence=0.99, priority="low", title=lambda **a: f"Py route {a['routeId']}")
        def adjust(routeId, vehicleId, stopsAdded=1, stopsRemoved=0, etaChangeMinutes=4):  # noqa: N803 (the task type's field names)
            ran.append(routeId)
            return "adjusted"

        self.assertEqual(adjust(f"R-py-{RUN}", "V-1"), "adjusted")
        self.assertEqual(ran, [f"R-py-{RUN}"])

    def test_submit_wait_cancel(self):
        review = self.cs.request_review("refund.issue", {"orderId": f"C-py-{RUN}", "amount": 5}, title=f"Py cancel {RUN}", priority="low", amount={"value": 5, "currency": "USD"})
        self.assertEqual(review["status"], "pending")
        started = time.monotonic()
        self.assertEqual(self.cs.wait_for_decision(review["id"], timeout=1)["status"], "pending")
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(self.cs.cancel(review["id"])["status"], "cancelled")
        with self.assertRaises(CountersignError) as ctx:
            self.cs.cancel(review["id"])
        self.assertEqual(ctx.exception.status, 409)

    def test_a_deadline_refuses_and_withdraws_the_review(self):
        with self.assertRaises(ApprovalTimeout) as ctx:
            self.cs.request_approval("refund.issue", {"orderId": f"T-py-{RUN}", "amount": 5}, call_id=f"py-timeout-{RUN}", timeout=1, priority="low", title=f"Py timeout {RUN}")
        self.assertEqual(ctx.exception.status, "cancelled")

    def test_validation_errors_are_problems(self):
        with self.assertRaises(CountersignError) as ctx:
            self.cs.request_review("Not A Key!", {"x": 1})
        self.assertEqual(ctx.exception.status, 422)
        self.assertIn("taskType", ctx.exception.errors)


@needs_reviewer
class WithAReviewer(unittest.TestCase):
    """examples/refund_agent.py (the file /docs/api shows); each call's title tells the reviewer robot what to decide."""

    def setUp(self):
        from examples import refund_agent

        self.example = refund_agent
        refund_agent.refunds.clear()

    def test_approved_runs_once_with_the_arguments(self):
        order = f"approve-{RUN}-py"
        self.assertEqual(self.example.refund_tool(order, 35), "refunded 35")
        self.assertEqual(self.example.refunds, [(order, 35)])

    def test_edited_runs_once_with_the_edit(self):
        order = f"edit-{RUN}-py"
        self.assertEqual(self.example.refund_tool(order_id=order, amount=35), "refunded 30")
        self.assertEqual(self.example.refunds, [(order, 30)])

    def test_rejected_never_runs_and_the_reason_is_the_tools_result(self):
        answer = self.example.refund_tool(f"reject-{RUN}-py", 35)  # ReviewRejected, caught by the example
        self.assertEqual(self.example.refunds, [])
        self.assertTrue(answer.startswith("NOT APPROVED (rejected). Rejected by "), answer)
        self.assertIn("Attach a photo of the damage", answer)


if __name__ == "__main__":
    unittest.main()
