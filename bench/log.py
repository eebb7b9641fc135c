"""The bench's progress lines, on stderr: stdout carries the report alone."""

import sys


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
