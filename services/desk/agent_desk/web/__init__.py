"""The desk\x27s web app: routes by page, thin over the modules beside this package."""
