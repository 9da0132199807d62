"""Custom actions, grouped by what the member is doing. Thin: they read slots, call the billing
service through assistant.billing_client, and turn answers into the domain's responses."""
