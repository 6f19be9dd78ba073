"""The garbage collector pause is counted: nested or concurrent bulk steps never leave it off."""

import gc
import threading

from zonedesk.core.perf import gc_paused


def test_collector_is_back_on_only_when_the_last_overlapping_step_ends():
    assert gc.isenabled()
    first_in, second_done, release = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with gc_paused():
            first_in.set()
            release.wait(5)
            seen["first, inside"] = gc.isenabled()

    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(5)
    with gc_paused():
        seen["second, inside"] = gc.isenabled()
    second_done.set()
    seen["after the second, first still running"] = gc.isenabled()
    release.set()
    worker.join(5)
    assert seen == {
        "second, inside": False,
        "after the second, first still running": False,
        "first, inside": False,
    }
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
