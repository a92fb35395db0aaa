"""What one template render may cost, and the checks that keep it there.

Templates come from untrusted pull requests. Limit messages name the limit, never the
operands (they may be profile data); numbers are grouped (`1,000,000`) so that no
output mistakes them for phone numbers and masks them. The sandbox stops escapes; this module
stops a template from running long or filling memory. Every render gets one `Budget`
(steps, calls, macro calls and depth, a deadline) that the sandbox charges on each
loop step, output, call, filter and test. Operations whose cost a
single C call decides (powers, repetition, format widths, padding filters) are checked
*before* they run, from their arguments: a signal cannot interrupt them. Everything
else is interrupted at the deadline by a timer where signals can be used.
"""

from __future__ import annotations

import math
import re
import signal
import string
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from jinja2.exceptions import SecurityError


@dataclass(frozen=True)
class Limits:
    """What one render may cost before it ends in a template-error finding."""

    max_output_chars: int = 1_000_000  # the render's output, and any string or list it builds
    max_range: int = 10_000
    max_loop_steps: int = 100_000
    max_calls: int = 1_000_000  # calls (and their arguments), filters and tests
    max_macro_calls: int = 20_000
    max_depth: int = 100  # macros and recursive loops inside one another
    max_seconds: float = 5.0
    max_width: int = 10_000  # widths and precisions in format strings, padding filters
    max_int_bits: int = 100_000  # the size of an integer a power or product may make


class RenderLimitError(SecurityError):
    """A render went over one of its `Limits`; the message says which."""


class Budget:
    """Steps, calls and time left for the render in progress."""

    __slots__ = ("limits", "steps", "calls", "macro_calls", "depth", "deadline")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = 0
        self.calls = 0
        self.macro_calls = 0
        self.depth = 0
        self.deadline = time.monotonic() + limits.max_seconds

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.limits.max_loop_steps:
            raise RenderLimitError(f"loops ran more than {self.limits.max_loop_steps:,} steps")
        if self.steps % 64 == 0:
            self.check_time()

    def call(self, arguments: int = 0) -> None:
        """One call; its arguments count too (`f(*range(10000))` copies them all)."""
        before = self.calls
        self.calls += 1 + arguments
        if self.calls > self.limits.max_calls:
            raise RenderLimitError(f"more than {self.limits.max_calls:,} calls")
        if self.calls >> 8 != before >> 8:
            self.check_time()

    @contextmanager
    def macro(self) -> Iterator[None]:
        """Around a macro or recursive loop call: counted, and nested no deeper than allowed."""
        self.macro_calls += 1
        if self.macro_calls > self.limits.max_macro_calls:
            raise RenderLimitError(f"more than {self.limits.max_macro_calls:,} macro calls")
        if self.depth >= self.limits.max_depth:
            raise RenderLimitError(f"macro calls nested deeper than {self.limits.max_depth:,}")
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimitError(self.timeout_message)

    @property
    def timeout_message(self) -> str:
        return f"rendering took longer than {self.limits.max_seconds:g} s"


@contextmanager
def interrupted_at_deadline(budget: Budget) -> Iterator[None]:
    """Raise `RenderLimitError` inside whatever Python code is running at the deadline.

    Uses a real-time interval timer, so only in the main thread of a process (where
    signal handlers run); elsewhere the budget's own time checks are all there is. An
    outer timer is put back as it was, less the time spent here.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise RenderLimitError(budget.timeout_message)

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = signal.setitimer(
        signal.ITIMER_REAL, max(budget.deadline - started, 0.001)
    )
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            left = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


# -- checks made before an operation runs ------------------------------------------------

PERCENT_FIELD = re.compile(
    r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]"
)
DIGITS = re.compile(r"\d+")


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def check_size(limits: Limits, size: int, what: str) -> None:
    if size > limits.max_output_chars:
        raise RenderLimitError(
            f"{what} would make more than {limits.max_output_chars:,} characters or items"
        )


def check_result(limits: Limits, result: Any, what: str) -> Any:
    size = _size(result)
    if size is not None:
        check_size(limits, size, what)
    return result


def check_width(limits: Limits, width: Any, what: str) -> None:
    if isinstance(width, int) and width > limits.max_width:
        raise RenderLimitError(f"{what} width is over the limit of {limits.max_width:,}")


def _check_digits(limits: Limits, text: str, what: str) -> None:
    for run in DIGITS.findall(text):
        number = int(run) if len(run) <= 9 else limits.max_width + 1
        if number > limits.max_width:
            raise RenderLimitError(
                f"{what} width or precision is over the limit of {limits.max_width:,}"
            )


def check_percent_format(limits: Limits, template: str) -> None:
    """`%`-formatting: widths and precisions bounded; `*` (taken from the arguments) refused."""
    if "%" not in template:
        return
    for match in PERCENT_FIELD.finditer(template):
        for number in match.groups():
            if number == "*":
                raise RenderLimitError("a '*' width or precision in % formatting is not allowed")
            if number:
                _check_digits(limits, number, "% format")


def check_brace_format(limits: Limits, template: str) -> None:
    """`str.format`: widths and precisions bounded; nested `{}` in a format spec refused."""
    if "{" not in template:
        return
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # the call itself fails with Python's own message
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise RenderLimitError("a nested {} in a format spec is not allowed")
        _check_digits(limits, spec, "format")


def check_power(limits: Limits, base: Any, exponent: Any) -> None:
    if not (isinstance(base, int) and isinstance(exponent, int)) or exponent <= 1:
        return
    if abs(base) <= 1:
        return
    bits = exponent * math.log2(abs(base))
    if bits > limits.max_int_bits:
        raise RenderLimitError(
            f"exponent too large: the power would have more than {limits.max_int_bits:,} bits"
        )


def check_binop(limits: Limits, operator: str, left: Any, right: Any) -> None:
    """Before `left operator right`: the result's size, from the operands."""
    if operator == "**":
        check_power(limits, left, right)
    elif operator == "*":
        left_size, right_size = _size(left), _size(right)
        if left_size is not None and isinstance(right, int):
            check_size(limits, left_size * max(right, 0), "repetition")
        elif right_size is not None and isinstance(left, int):
            check_size(limits, right_size * max(left, 0), "repetition")
        elif isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length() + right.bit_length()
            if bits > limits.max_int_bits:
                raise RenderLimitError(
                    f"product too large: it would have more than {limits.max_int_bits:,} bits"
                )
    elif operator == "+":
        left_size, right_size = _size(left), _size(right)
        if left_size is not None and right_size is not None:
            check_size(limits, left_size + right_size, "concatenation")
    elif operator == "%" and isinstance(left, str):
        check_percent_format(limits, left)


# -- filters, string methods and globals ---------------------------------------------------

def _int_argument(args: tuple[Any, ...], kwargs: dict[str, Any], index: int,
                  name: str) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name)


def _join_size(items: Any, separator: Any) -> int:
    sized = [len(x) if isinstance(x, str) else 0 for x in items]
    return sum(sized) + len(str(separator)) * max(len(sized) - 1, 0)


def _replace_size(value: Any, old: Any, new: Any, count: Any) -> int:
    text, old_text, new_text = str(value), str(old), str(new)
    found = text.count(old_text) if old_text else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new_text) - len(old_text), 0)


# Filters whose cost one C call decides from their arguments: checked before they run.
CHECKED_FILTERS = frozenset(
    {"center", "indent", "wordwrap", "truncate", "replace", "join", "batch", "slice", "format"}
)


def _check_filter(limits: Limits, name: str, value: Any, args: tuple[Any, ...],
                  kwargs: dict[str, Any]) -> None:
    """Before a filter in `CHECKED_FILTERS` runs: arguments that decide its cost."""
    if name == "center":
        check_width(limits, _int_argument(args, kwargs, 0, "width"), "center")
    elif name == "indent":
        width = _int_argument(args, kwargs, 0, "width")
        per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 4
        check_width(limits, per_line, "indent")
        check_size(limits, len(str(value)) * (1 + max(per_line, 0)), "indent")
    elif name == "wordwrap":
        check_size(limits, 2 * len(str(value)), "wordwrap")
    elif name == "truncate":
        check_width(limits, _int_argument(args, kwargs, 0, "length"), "truncate")
    elif name == "replace":
        old, new = _int_argument(args, kwargs, 0, "old"), _int_argument(args, kwargs, 1, "new")
        count = _int_argument(args, kwargs, 2, "count")
        check_size(limits, _replace_size(value, old, new, count), "replace")
    elif name == "join" and isinstance(value, list | tuple):
        separator = _int_argument(args, kwargs, 0, "d") or ""
        check_size(limits, _join_size(value, separator), "join")
    elif name == "batch":
        check_width(limits, _int_argument(args, kwargs, 0, "linecount"), "batch")
    elif name == "slice":
        check_width(limits, _int_argument(args, kwargs, 0, "slices"), "slice")
    elif name == "format" and isinstance(value, str):
        check_percent_format(limits, value)


def bounded_filter(limits: Limits, name: str, func: Callable[..., Any],
                   budget: Callable[[], Budget | None]) -> Callable[..., Any]:
    """`func` charging the render's budget, its costly arguments and its result checked.

    Jinja passes a context, eval context or environment first to some filters (marked
    by an attribute the wrapper copies); the value is the argument after it.
    """
    value_at = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
    checked = name in CHECKED_FILTERS
    max_size = limits.max_output_chars

    def bounded(*args: Any, **kwargs: Any) -> Any:
        current = budget()
        if current is not None:
            current.call()
        if checked and len(args) > value_at:
            value, rest = args[value_at], args[value_at + 1:]
            if name == "join" and not isinstance(value, list | tuple | str):
                value = list(value)  # join reads it all anyway; sized now, checked
                args = (*args[:value_at], value, *rest)
            _check_filter(limits, name, value, rest, kwargs)
        result = func(*args, **kwargs)
        if isinstance(result, str | list | tuple) and len(result) > max_size:
            check_size(limits, len(result), name)
        return result

    bounded.__dict__.update(getattr(func, "__dict__", {}))  # jinja_pass_arg
    bounded.__name__ = getattr(func, "__name__", name)
    bounded.__doc__ = func.__doc__
    return bounded


def counted(func: Any, budget: Callable[[], Budget | None]) -> Callable[..., Any]:
    """A test charging the render's budget."""

    def charged(*args: Any, **kwargs: Any) -> Any:
        current = budget()
        if current is not None:
            current.call()
        return func(*args, **kwargs)

    charged.__dict__.update(getattr(func, "__dict__", {}))
    return charged


PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


def check_method_call(limits: Limits, method: Any, args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> None:
    """Before a string method: the widths, repetitions and format specs that size its result."""
    owner = getattr(method, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(method, "__name__", "")
    if name in PADDING_METHODS:
        check_width(limits, _int_argument(args, kwargs, 0, "width"), name)
    elif name == "expandtabs":
        tabsize = _int_argument(args, kwargs, 0, "tabsize")
        if isinstance(tabsize, int):
            check_width(limits, tabsize, "expandtabs")
            check_size(limits, len(owner) * max(tabsize, 1), "expandtabs")
    elif name == "replace" and len(args) >= 2:
        count = args[2] if len(args) > 2 else kwargs.get("count", -1)
        check_size(limits, _replace_size(owner, args[0], args[1], count), "replace")
    elif name == "join" and args and isinstance(args[0], list | tuple):
        check_size(limits, _join_size(args[0], owner), "join")
    elif name in {"format", "format_map"}:
        check_brace_format(limits, owner)
