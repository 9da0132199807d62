"""HTTP routes of the billing service. Thin: each one validates, calls a rule, shapes the answer."""
