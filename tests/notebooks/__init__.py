"""Every lesson's notebook executed in a real Jupyter kernel, its printed numbers compared with the page's (second tier)."""
