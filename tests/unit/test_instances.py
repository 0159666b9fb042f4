"""Instance identity: a dead holder's id (and leases) are taken back at once, a live one's never."""

from datetime import UTC, datetime, timedelta

from bot.instance_identity import claim_instance
from storage.coordination import Instances, Leases, Process

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FIRST = Process(host="web-1", pid=100, boot_token="a" * 32)
RESTARTED = Process(host="web-1", pid=200, boot_token="b" * 32)
ELSEWHERE = Process(host="web-2", pid=300, boot_token="c" * 32)


def _instances(db, *, running: set[int]) -> Instances:
    return Instances(db, stale_seconds=60, alive=lambda pid: pid in running)


def test_a_restart_on_the_same_host_takes_a_dead_holders_id_and_lease_at_once(db):
    leases = Leases(db)
    assert _instances(db, running={100}).claim(instance_id="desk", me=FIRST, now=NOW) is None
    assert leases.acquire(name="x_poller", owner="desk", now=NOW, ttl_seconds=10800)
    later = NOW + timedelta(seconds=5)
    assert _instances(db, running={200}).claim(instance_id="desk", me=RESTARTED,
                                               now=later) is None
    assert leases.acquire(name="x_poller", owner="desk", now=later, ttl_seconds=10800)
    assert not _instances(db, running={200}).beat(instance_id="desk", me=FIRST, now=later)
    assert _instances(db, running={200}).beat(instance_id="desk", me=RESTARTED, now=later)


def test_a_live_holder_keeps_its_id(db):
    instances = _instances(db, running={100, 200})
    assert instances.claim(instance_id="desk", me=FIRST, now=NOW) is None
    holder = instances.claim(instance_id="desk", me=RESTARTED, now=NOW + timedelta(seconds=5))
    assert (holder.host, holder.pid) == ("web-1", 100)
    other_host = instances.claim(instance_id="desk", me=ELSEWHERE, now=NOW + timedelta(seconds=59))
    assert other_host is not None and other_host.pid == 100
    assert instances.beat(instance_id="desk", me=FIRST, now=NOW + timedelta(seconds=30))


def test_another_host_waits_for_the_heartbeat_to_go_stale(db):
    instances = _instances(db, running={100})
    assert instances.claim(instance_id="desk", me=FIRST, now=NOW) is None
    assert instances.claim(instance_id="desk", me=ELSEWHERE,
                           now=NOW + timedelta(seconds=59)) is not None
    assert instances.claim(instance_id="desk", me=ELSEWHERE,
                           now=NOW + timedelta(seconds=61)) is None


def test_a_clean_stop_frees_the_id(db):
    instances = _instances(db, running={100, 200})
    assert instances.claim(instance_id="desk", me=FIRST, now=NOW) is None
    assert instances.release(instance_id="desk", me=FIRST)
    assert not instances.release(instance_id="desk", me=FIRST)
    assert instances.claim(instance_id="desk", me=RESTARTED, now=NOW) is None


def test_a_process_whose_id_was_taken_over_is_told_to_stop(db):
    stopped: list[str] = []
    _, _, heartbeat = claim_instance(db=db, instance_id="desk", clock=lambda: NOW,
                                     on_lost=lambda: stopped.append("first"))
    heartbeat()
    assert stopped == []
    later = NOW + timedelta(seconds=61)  # it stalled past the stale limit; another host took over
    assert Instances(db, stale_seconds=60).claim(instance_id="desk", me=ELSEWHERE,
                                                 now=later) is None
    heartbeat()
    assert stopped == ["first"]
