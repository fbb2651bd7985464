"""The wiki: every entry of every public deck as a page, browsing and search."""
