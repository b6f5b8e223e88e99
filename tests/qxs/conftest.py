import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qxs import purge


class FakeVarnish(ThreadingHTTPServer):
    """A real little HTTP server on 127.0.0.1 standing in for Varnish: it records every
    ``PURGE /`` with its ``xkey-purge`` header and answers with the next status of
    ``statuses`` (200 once they are used up)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.purges = []
        self.statuses = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def sent_keys(self):
        """Every key purged so far, successfully or not."""
        with self.lock:
            return {key for _method, _path, header, _ok in self.purges for key in header.split()}

    def purged_keys(self):
        """The keys of purges this server answered 200 to."""
        with self.lock:
            return {key for _m, _p, header, ok in self.purges if ok for key in header.split()}

    def forget(self):
        with self.lock:
            self.purges.clear()


class _Handler(BaseHTTPRequestHandler):
    def do_PURGE(self):
        server = self.server
        with server.lock:
            status = server.statuses.pop(0) if server.statuses else 200
            server.purges.append(
                (self.command, self.path, self.headers.get("xkey-purge", ""), status == 200)
            )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings, monkeypatch):
    """One fake Varnish in QXS_VARNISH_URLS, with retries a few milliseconds apart."""
    server = FakeVarnish()
    settings.QXS_VARNISH_URLS = [server.url]
    monkeypatch.setattr(purge.PurgeSender, "retry_delays", (0.05, 0.05, 0.05))
    yield server
    purge.flush(5)
    server.shutdown()
    server.server_close()


@pytest.fixture
def sent_after_commit(varnish):
    """``with sent_after_commit() as sent:`` runs the block and fills ``sent`` with the keys
    Varnish got for it. For tests marked ``django_db(transaction=True)``: every write commits,
    as in the running site, so purges go out after the commit like there."""
    import contextlib

    from django.db import connection

    @contextlib.contextmanager
    def run():
        assert not connection.in_atomic_block, "use django_db(transaction=True)"
        assert purge.flush(5)
        varnish.forget()
        sent = set()
        yield sent
        assert purge.flush(5)
        sent.update(varnish.sent_keys())

    return run
