"""Session set-up shared by every test of the repository."""

import odoo


def pytest_sessionstart(session):
    # NOTE: CPython 3.11.7's parser fails now and then with "AST constructor
    # recursion depth mismatch" when several threads parse at once. The HTTP
    # server's threads read every addon's manifest when they serve the first
    # static file, so a browser test could lose its assets. Reading them here,
    # before the server starts, leaves the threads a computed mapping.
    if odoo.tools.config.get("db_name"):
        assert odoo.http.root.statics
