"""The lookup pages for journalists and the dereferenceable resource IRIs."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("pages", __name__)
