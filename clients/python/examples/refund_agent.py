import os

from countersign import Countersign, ReviewRejected

cs = Countersign(os.environ["COUNTERSIGN_URL"], api_key=os.environ["COUNTERSIGN_API_KEY"])
refunds = []  # stands in for your payment system


@cs.requires_approval(task_type="refund.issue", title=lambda order_id, amount: f"Refund {order_id}",
                      amount=lambda order_id, amount: {"value": amount, "currency": "USD"}, priority="low")
def issue_refund(order_id: str, amount: float) -> str:
    refunds.append((order_id, amount))  # runs only once approved, with the approved (maybe edited) arguments
    return f"refunded {amount}"


def refund_tool(order_id: str, amount: float) -> str:
    """What the agent's tool call returns to the model."""
    try:
        return issue_refund(order_id, amount)
    except ReviewRejected as e:
        return f"NOT APPROVED ({e.outcome}). {e.reason}"
