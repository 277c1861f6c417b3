"""Static files under content-hashed names, cached for a year by browsers and proxies.

``url_for("static", filename="pages.css")`` gives ``/static/pages.<hash>.css``, where the hash is
the first 12 hex digits of the file's SHA-256: a changed file gets a new name, so the old one may
be cached as immutable. A name without a hash (or with an old one) still serves the current file,
with ``no-cache``, so that a page cached before a deploy keeps its styles.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request

#: A year, the longest lifetime caches honour.
IMMUTABLE = "public, max-age=31536000, immutable"
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")


class Assets:
    """The files of one static folder and their content hashes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._digests: dict[str, tuple[float, str]] = {}

    def digest(self, filename: str) -> str | None:
        """The hash of ``filename``'s content, or None when there is no such file."""
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder.resolve()) or not path.is_file():
            return None
        mtime = path.stat().st_mtime
        known = self._digests.get(filename)
        if known is None or known[0] != mtime:
            known = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            self._digests[filename] = known
        return known[1]

    def hashed(self, filename: str) -> str:
        """``pages.css`` -> ``pages.<hash>.css`` (unchanged when the file is missing)."""
        digest = self.digest(filename)
        if digest is None:
            return filename
        stem, dot, ext = filename.rpartition(".")
        return f"{stem}.{digest}.{ext}" if dot and "/" not in ext else filename

    def serve(self, filename: str) -> Response:
        """The file a (possibly hashed) name stands for, cached as its name allows."""
        name = filename
        found = _HASHED.match(name)
        filename, fresh = name, False
        if found and self.digest(found["stem"] + found["ext"]) is not None:
            filename = found["stem"] + found["ext"]
            fresh = self.digest(filename) == found["digest"]
        digest = self.digest(filename)
        if digest is None:
            abort(404)
        # read whole (the files are small), so that the response can be compressed
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = Response((self.folder / filename).read_bytes(), mimetype=kind)
        response.set_etag(digest)
        response.headers["Cache-Control"] = IMMUTABLE if fresh else "no-cache"
        response.make_conditional(request)
        return response


def install(app: Flask, folder: Path) -> Assets:
    """Serve ``folder`` at ``/static/`` under hashed names and make ``url_for`` use them."""
    assets = Assets(folder)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=assets.serve)
    app.url_defaults(_hashing(assets))
    return assets


def _hashing(assets: Assets) -> Any:
    def add_hash(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and isinstance(values.get("filename"), str):
            values["filename"] = assets.hashed(values["filename"])
    return add_hash
