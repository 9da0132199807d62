"""The health-plan billing assistant: billing service, client, channels and desk."""
