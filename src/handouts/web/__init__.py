"""The front-desk web app (`handouts serve`)."""

from .app import create_app

__all__ = ["create_app"]
