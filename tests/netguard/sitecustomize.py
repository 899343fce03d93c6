"""Loaded by every Python process the tests start (tests/conftest.py puts this folder on
PYTHONPATH): outside network connections fail loudly; loopback and Unix sockets work."""

import os

if os.environ.get("MENTOR_TEST_NETGUARD") == "1":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from netguard_impl import install

    install()
