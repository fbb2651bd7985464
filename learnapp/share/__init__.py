"""Nickname share pages (/n/<token>): the page, its SVG card and its link-preview PNG."""
