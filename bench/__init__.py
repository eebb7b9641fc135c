"""`make bench`: the key pages under load at province scale, against a hello-world ceiling.

Outside the product (not in INSTALLED_APPS): `python -m bench` prepares one database per data size,
counts each page's queries in-process at every size, serves the largest under gunicorn with the
production settings, loads each page with wrk from a second process, times the exports over HTTP,
and prints the table with every target (var/bench/latest.md keeps it).
"""
