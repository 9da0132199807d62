"""The demo billing website: a page of the plan's billing site with the chat widget on it."""
