"""Countersign client for Python agents: standard library only (Python >= 3.9).

    from countersign import Countersign, ReviewRejected

    cs = Countersign("https://countersign.example.com", api_key="cs_live_...")

    @cs.requires_approval(task_type="refund.issue")
    def issue_refund(order_id: str, amount: float) -> str:
        ...  # runs only once a person approves, with the approved (possibly edited) arguments

    try:
        issue_refund(order_id="A-1", amount=35)
    except ReviewRejected as e:
        print("Not approved:", e.reason)
"""

from .client import (
    ApprovalTimeout,
    Countersign,
    CountersignError,
    ReviewRejected,
    action_hash,
    canonical_json,
    requires_approval,
    verify_webhook,
)

__all__ = [
    "ApprovalTimeout",
    "Countersign",
    "CountersignError",
    "ReviewRejected",
    "action_hash",
    "canonical_json",
    "requires_approval",
    "verify_webhook",
]
__version__ = "0.1.0"
