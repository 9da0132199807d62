"""Rasa input channels: the website's socket.io channel and SMS through Twilio."""
