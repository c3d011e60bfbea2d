"""Logging in: passwords kept only as salted hashes, the same work for unknown names, guessing slowed and locked."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from interviewer import login
from interviewer.login import CLIENT, LoginGuard


def run(coroutine):
    """Run a coroutine on a loop of its own (a browser test's Playwright may hold this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guard(clock) -> LoginGuard:
    return LoginGuard([("alice", "correct horse"), ("bob", "battery staple")], max_failures=5, client_failures=20,
                      lockout_s=60, failure_delay_s=0, clock=clock)  # fmt: skip


def attempt(guard: LoginGuard, user: str, password: str, client: str = "10.0.0.1") -> bool:
    async def attempt_from_client() -> bool:
        CLIENT.set(client)
        return await guard.login(user, password)

    return run(attempt_from_client())


def test_right_and_wrong_passwords_and_unknown_names(guard):
    assert attempt(guard, "alice", "correct horse")
    assert not attempt(guard, "alice", "Correct horse") and not attempt(guard, "mallory", "correct horse")


def test_no_plain_password_is_kept(guard):
    assert "correct horse" not in repr(vars(guard)) and "battery staple" not in repr(vars(guard))


def test_five_wrong_guesses_lock_the_name_even_for_the_right_password_until_the_lockout_ends(guard, clock):
    for _ in range(5):
        assert not attempt(guard, "alice", "guess")
    assert not attempt(guard, "alice", "correct horse"), "locked: the right password is refused too"
    assert attempt(guard, "bob", "battery staple", client="10.0.0.2"), "other names are not locked"
    clock.now += 61
    assert attempt(guard, "alice", "correct horse")


def test_each_further_lockout_of_a_name_lasts_twice_as_long(guard, clock):
    for _ in range(5):
        attempt(guard, "alice", "guess")
    clock.now += 61
    for _ in range(5):
        attempt(guard, "alice", "guess")
    clock.now += 61
    assert not attempt(guard, "alice", "correct horse"), "the second lockout lasts 120 s"
    clock.now += 60
    assert attempt(guard, "alice", "correct horse")


def test_one_client_guessing_many_names_is_locked_out(guard):
    for n in range(20):
        attempt(guard, f"user{n}", "guess", client="10.9.9.9")
    assert not attempt(guard, "bob", "battery staple", client="10.9.9.9")
    assert attempt(guard, "bob", "battery staple", client="10.0.0.3"), "only that client is locked"


def test_an_unknown_name_costs_the_same_key_derivation_as_a_known_one(guard, monkeypatch):
    calls = []
    real = login.derive
    monkeypatch.setattr(login, "derive", lambda password, salt: calls.append(salt) or real(password, salt))
    guard.check("alice", "wrong")
    guard.check("nobody-by-this-name", "wrong")
    assert len(calls) == 2 and all(len(salt) == 16 for salt in calls)


def test_a_failure_is_answered_after_a_delay_without_blocking_other_logins(clock):
    slow = LoginGuard([("alice", "pw")], failure_delay_s=0.5, clock=clock)

    async def both() -> tuple[bool, bool, float]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        wrong = asyncio.create_task(slow.login("alice", "nope"))
        right = await slow.login("alice", "pw")
        right_at = loop.time() - started
        return await wrong, right, right_at

    wrong, right, right_at = run(both())
    assert not wrong and right and right_at < 0.5, "the right login did not wait for the other's delay"


def test_gradio_sees_the_login_check_as_a_coroutine_function(guard):
    """Gradio awaits `auth` only if inspect says so; otherwise any password would log in (a coroutine is truthy)."""
    import inspect

    assert inspect.iscoroutinefunction(guard.login)
