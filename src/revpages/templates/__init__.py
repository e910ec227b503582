"""Package data for ``revpages init``: ``project/`` is a new site, copied as it is."""
