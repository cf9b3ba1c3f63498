"""The app's own address as the browser reached it, and links to its pages built from it.

A link the app hands out (a class's join link, the teacher's link, a lesson view) starts with the
address the visitor's browser used, scheme, host and any path prefix a proxy adds, so it works
wherever the app is served. Outside a browser connection (a bare script run) the address is unknown
and links are paths.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from ui.lessons import LESSONS

__all__ = ["CLASS_URL_PATH", "PAGE_URL_PATHS", "app_address", "app_path"]

#: The Class page's address (``<app>/class``).
CLASS_URL_PATH = "class"
#: Every page's address below the app's root, besides the root itself (the home page).
PAGE_URL_PATHS = (*(lesson.url_path for lesson in LESSONS), CLASS_URL_PATH)


def app_address() -> str:
    """The app's address as the browser reached it (scheme, host and any path prefix), else empty."""
    try:
        url = st.context.url or ""
    except Exception:  # no browser connection (a bare script run)
        return ""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}{app_path(parts.path)}"


def app_path(path: str) -> str:
    """The app's path prefix in a page's ``path`` (``/lab/derivatives`` -> ``/lab``; ``/derivatives`` -> ``""``)."""
    path = path.rstrip("/")
    for page_path in (f"/{url_path}" for url_path in PAGE_URL_PATHS):
        if path.endswith(page_path):
            return path[: -len(page_path)]
    return path
