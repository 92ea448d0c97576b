"""When a Streamlit page in Playwright has finished what the test asked of it, read off its websocket.

Waiting a fixed time and then for the running indicator to go races a loaded machine: if the run the click asked for
has not started yet, there is no indicator to wait for, and the test reads (or clicks) a page about to be redrawn.
Instead each tab's websocket is watched: every run the page asks the server for (a ``rerun_script`` message sent),
and every run the server reports finished (``script_finished``, not one stopped early for a newer request). The page
is settled once a run has finished since the last request was sent; requests the server merges into one run are
then all answered.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

TIMEOUT_S = 45
IDLE = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"


class ScriptRuns:
    """The runs of the tabs it watches (bench/browser.py watches a whole session's tabs with one)."""

    def __init__(self) -> None:
        self.requested = 0  # rerun requests sent so far
        self.finished = 0  # runs finished, not counting those stopped early for a newer request
        self.answered = -1  # how many requests had been sent when the last run finished (-1: none finished yet)

    def watch(self, tab: Any) -> None:
        tab.on("websocket", lambda socket: (socket.on("framesent", self.sent), socket.on("framereceived", self.received)))

    def sent(self, payload: Any) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = _parsed(BackMsg, payload)
        if message is not None and message.WhichOneof("type") == "rerun_script":
            self.requested += 1

    def received(self, payload: Any) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = _parsed(ForwardMsg, payload)
        if (message is not None and message.WhichOneof("type") == "script_finished"
                and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
            self.finished += 1
            self.answered = self.requested

    @property
    def settled(self) -> bool:
        return self.answered >= self.requested


def _parsed(kind: Any, payload: Any) -> Any:
    """A websocket frame as a Streamlit message of ``kind``, or None (text, or not such a message)."""
    from google.protobuf.message import DecodeError

    if not isinstance(payload, bytes):
        return None
    message = kind()
    try:
        message.ParseFromString(payload)
    except DecodeError:
        return None
    return message


WATCHED: weakref.WeakKeyDictionary[Any, ScriptRuns] = weakref.WeakKeyDictionary()


def watch(tab: Any) -> Any:
    """Watch ``tab``'s script runs from now on (before it opens the app); returns the tab."""
    runs = ScriptRuns()
    runs.watch(tab)
    WATCHED[tab] = runs
    return tab


def settle(tab: Any) -> None:
    """Wait until the runs ``tab`` asked for have finished and the page shows no run in progress."""
    tab.wait_for_timeout(300)  # the request a click makes reaches the websocket after the click returns
    runs = WATCHED.get(tab)
    if runs is not None:
        deadline = time.monotonic() + TIMEOUT_S
        while not runs.settled:  # Playwright delivers the websocket's events while the tab waits
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page asked for {runs.requested} runs and the last one has not finished")
            tab.wait_for_timeout(25)
    tab.wait_for_function(IDLE, timeout=TIMEOUT_S * 1000)


def click_when_still(tab: Any, target: Any, still_ms: int = 300) -> None:
    """Click ``target`` once it has stopped moving. An expander opening animates everything below it, and on a busy
    machine a click aimed at a button that is still sliding down lands where the button was: no click, no run."""
    deadline = time.monotonic() + TIMEOUT_S
    last, still_since = None, time.monotonic()
    while True:
        box, now = target.bounding_box(), time.monotonic()
        if box != last:
            last, still_since = box, now
        elif now - still_since >= still_ms / 1000:
            break
        if now > deadline:
            raise TimeoutError(f"{target} kept moving for {TIMEOUT_S} s")
        tab.wait_for_timeout(50)
    target.click()
