"""A real SMTP server for the outbox tests (aiosmtpd, in a thread, on a free local port): it answers
the first `refusals` messages with `reply` (a 451 by default, "try again later"), or refuses their
recipients at RCPT, then accepts and keeps every message it accepted."""

import email
import email.policy
import socket
import threading
from contextlib import contextmanager
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScriptedHandler:
    def __init__(self, *, refusals: int, reply: str, at: str):
        self.refusals = refusals
        self.reply = reply
        self.at = at
        self.refused = 0
        self.received: list[Message] = []
        self.lock = threading.Lock()

    def _refuse(self) -> str | None:
        with self.lock:
            if self.refused < self.refusals:
                self.refused += 1
                return self.reply
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.at == "rcpt" and (reply := self._refuse()):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.at == "data" and (reply := self._refuse()):
            return reply
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(*, refusals: int = 0, reply: str = "451 4.3.0 Try again later", at: str = "data"):
    """Yield (handler, port); `handler.received` holds the accepted messages."""
    handler = ScriptedHandler(refusals=refusals, reply=reply, at=at)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()
