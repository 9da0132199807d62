"""Request headers of the billing API beyond authentication."""

MEMBER_HEADER = "X-Member-Number"  # the verified member the assistant acts for; the service checks ownership
CLIENT_HEADER = "X-Client-Id"  # who is typing (the conversation id), for verification and guest limits
IDEMPOTENCY_HEADER = "Idempotency-Key"  # required on every request that moves money
