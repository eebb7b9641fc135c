"""wrk's output as `make bench` reads it: the line bench/report.lua prints, answers that are not 2xx."""

import pytest

from bench.load import WrkOutputError, parse_wrk_output, wrk_command

# The BENCH_JSON lines are wrk 4.1's, running bench/report.lua against a server that answered every
# request with a redirect (301; wrk's own error count says nothing, the script counts them), then
# against one that answered 200.
REDIRECTED = """\
Running 1s test @ http://127.0.0.1:18765/wrkdir
  1 threads and 2 connections
BENCH_JSON {"requests": 815, "duration_us": 1004980, "bytes": 120620, "p50_us": 1478, "p95_us": 7445, \
"p99_us": 10023, "max_us": 14852, "non2xx": 815, "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, \
"timeout": 0}}
"""

GOOD = """\
Running 1s test @ http://127.0.0.1:18765/wrkdir/
  1 threads and 2 connections
BENCH_JSON {"requests": 676, "duration_us": 1001971, "bytes": 240656, "p50_us": 2046, "p95_us": 7915, \
"p99_us": 9725, "max_us": 12414, "non2xx": 0, "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, \
"timeout": 0}}
"""


def test_the_figures_come_from_the_script_line_in_milliseconds():
    result = parse_wrk_output(GOOD)
    assert result.requests == 676
    assert result.duration_s == pytest.approx(1.001971)
    assert result.requests_per_second == pytest.approx(676 / 1.001971)
    assert (result.p50_ms, result.p95_ms, result.p99_ms, result.max_ms) == (2.046, 7.915, 9.725, 12.414)
    assert not result.failed


def test_redirects_fail_the_page_although_wrk_counts_no_error():
    result = parse_wrk_output(REDIRECTED)
    assert result.non2xx == 815
    assert result.failed


def test_socket_errors_fail_the_page():
    line = GOOD.replace('"timeout": 0', '"timeout": 3')
    result = parse_wrk_output(line)
    assert result.socket_errors == 3
    assert result.failed


def test_error_answers_are_counted_once():
    # wrk counts the >= 400 answers as errors.status; the script's non2xx holds them already.
    line = GOOD.replace('"non2xx": 0', '"non2xx": 5').replace('"status": 0', '"status": 5')
    result = parse_wrk_output(line)
    assert (result.non2xx, result.socket_errors) == (5, 0)


def test_output_without_the_script_line_is_an_error():
    with pytest.raises(WrkOutputError, match="BENCH_JSON"):
        parse_wrk_output("Running 1s test @ http://127.0.0.1:1/\n  0 requests in 1.00s\n")


def test_the_command_sends_the_session_cookie_and_waits_for_slow_answers():
    command = wrk_command(
        "http://127.0.0.1:8000/teams/", duration="10s", connections=8, threads=2, cookie="sessionid=abc"
    )
    assert command[command.index("--connections") + 1] == "8"
    assert command[command.index("--threads") + 1] == "2"
    assert command[command.index("--header") + 1] == "Cookie: sessionid=abc"
    assert command[command.index("--timeout") + 1] == "30s"
    assert command[command.index("--script") + 1].endswith("bench/report.lua")
    assert "--latency" in command
    assert command[-1] == "http://127.0.0.1:8000/teams/"
    assert "--header" not in wrk_command("http://127.0.0.1:8000/", duration="1s", connections=1, threads=1)
