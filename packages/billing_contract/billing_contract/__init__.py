"""What the assistant and the billing service share; standard library only, so either side can install it."""
