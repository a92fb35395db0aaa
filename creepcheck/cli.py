"""Command line: parse options, call the engine, pick a reporter, return an exit code."""

from __future__ import annotations

import select
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from creepcheck.commands.terminal import color_wanted, silence_closed_stdout
from creepcheck.errors import EXIT_OK, EXIT_USAGE, UserError
from creepcheck.version import __version__

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")
FAIL_ON = ("error", "warning", "info", "never")
SCHEMA_KINDS = ("campaign", "policy", "config", "profile")
F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    """One red error line; `message` has passed the outbound boundary."""
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: the run stops, cleaning up as it unwinds."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted`; further ones are ignored while the run
    unwinds (workers stopped, partial files removed), so cleanup is not cut short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}

    def interrupt(signum: int, frame: object) -> None:
        for other in previous:
            signal.signal(other, signal.SIG_IGN)
        raise Interrupted(signum)

    for signum in previous:
        signal.signal(signum, interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)


def stdout_reader_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it (`| head`, `| true`)."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return False
    if not hasattr(select, "poll"):
        return True  # no way to ask: trust the BrokenPipeError
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


@contextmanager
def _user_errors(debug: bool, show_pii: bool = False) -> Iterator[None]:
    """Print user errors as one red line each and exit 2; a traceback only with --debug.

    An interrupt prints one line and exits 128 + the signal's number, as a shell does.
    A closed stdout ends the command quietly with 0 (`check` keeps its findings' code).
    """
    from creepcheck.privacy.outbound import input_value, outbound

    try:
        with _interruptible():
            yield
    except Interrupted as exc:
        click.echo("interrupted", err=True)
        sys.exit(128 + exc.signum)
    except UserError as exc:
        if debug:
            traceback.print_exc()
        for problem in exc.problems:
            _fail(problem.shown(show_pii).removeprefix(": "))
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit:
        raise
    except Exception as exc:  # a bug: say so plainly, keep details for --debug
        if isinstance(exc, BrokenPipeError) and stdout_reader_gone():
            silence_closed_stdout()  # `| head` has read all it wanted: not an error
            sys.exit(EXIT_OK)
        if debug:
            traceback.print_exc()
        message = f"internal error: {type(exc).__name__}: {input_value(exc)}"
        _fail(outbound(f"{message} (run with --debug for details)", show_pii=show_pii))
        sys.exit(EXIT_USAGE)


def debug_option(func: F) -> F:
    return click.option("--debug", is_flag=True, help="Show tracebacks for errors.")(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="creepcheck")
def main() -> None:
    """Lint marketing campaigns for creepy personalisation before they are sent."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--policy", "policy", help="Policy file or builtin:NAME (overrides the config).")
@click.option("--profiles", type=click.Path(path_type=Path), help="Sample profiles to use.")
@click.option("--query", help="With --profiles DATABASE.duckdb: the SELECT giving the profiles.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report here.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity that fails (exit 1).")
@click.option("--select", multiple=True, help="Only these rules (codes, slugs or prefixes).")
@click.option("--ignore", multiple=True, help="Skip these rules.")
@click.option("--baseline", type=click.Path(path_type=Path), help="Report only findings not in it.")
@click.option("--write-baseline", type=click.Path(path_type=Path), help="Record findings to it.")
@click.option("--show-pii", is_flag=True, help="Print personal data unmasked.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, help="Processes to use.")
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    help="Check N profiles drawn at random (the same N with --seed S on every run).",
)
@click.option(
    "--spark",
    metavar="MASTER",
    help="Check on Apache Spark (local[2], spark://HOST:7077, yarn); --profiles may "
    "then name a Parquet path or a table.",
)
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option("--no-messages", is_flag=True, help="Leave the per-message list out of JSON.")
@click.option(
    "--strict-inputs",
    is_flag=True,
    help="Exit 2 on any input problem, also those that let the run go on.",
)
# What a marketer does next, and output as ruff users expect (commands/check.py AfterCheck).
@click.option(
    "--exclusions",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE.csv",
    help="Write who to drop on which channel (campaign, channel, profile_id, rules, reasons).",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="Print the findings only: no summary, notes or progress."
)
@click.option("--statistics", is_flag=True, help="Print the count of findings per rule instead.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the --sample draw.")
@debug_option
def check(paths: tuple[Path, ...], **options: Any) -> None:
    """Lint campaigns (files or folders; default: find them under the current folder)."""
    from creepcheck.commands.check import run_check

    with _user_errors(options["debug"], options["show_pii"]):
        code = run_check(paths or (Path("."),), options)
    sys.exit(code)


@main.command()
@click.argument("campaign", type=click.Path(path_type=Path))
@click.option("--profile", "profile_id", required=True, metavar="ID", help="Profile to render for.")
@click.option("--channel", metavar="CH", help="Only this channel's messages.")
@click.option("--policy", "policy", help="Policy file or builtin:NAME (overrides the config).")
@click.option("--profiles", type=click.Path(path_type=Path), help="Sample profiles to use.")
@click.option("--query", help="With --profiles DATABASE.duckdb: the SELECT giving the profiles.")
@click.option("--show-pii", is_flag=True, help="Print personal data unmasked.")
@debug_option
def preview(
    campaign: Path,
    profile_id: str,
    channel: str | None,
    policy: str | None,
    profiles: Path | None,
    query: str | None,
    show_pii: bool,
    debug: bool,
) -> None:
    """Show a campaign's messages as one profile gets them, findings highlighted."""
    from creepcheck.commands.check import profile_source
    from creepcheck.commands.preview import PreviewOptions, run_preview

    with _user_errors(debug, show_pii):
        options = PreviewOptions(
            campaign,
            profile_id,
            channel,
            show_pii,
            policy,
            profile_source(profiles, query),
            color=color_wanted(sys.stdout),
        )
        click.echo(run_preview(options), nl=False, color=options.color)


@main.command()
@click.argument("folder", metavar="[DIR]", default=".", type=click.Path(path_type=Path))
@debug_option
def init(folder: Path, debug: bool) -> None:
    """Scaffold a campaign repo: config, policy, a sample campaign, profiles, CI workflow."""
    from creepcheck.commands.init import run_init

    with _user_errors(debug):
        click.echo(run_init(folder), nl=False)


@main.command()
def rules() -> None:
    """List every rule: code, slug, default severity and what it flags."""
    from creepcheck.rules.registry import RULES

    width = max(len(r.name) for r in RULES)
    for rule in RULES:
        click.echo(
            f"{rule.code}  {rule.name:<{width}}  {rule.default_severity!s:<7}  {rule.summary}"
        )


@main.command()
@click.argument("rule_id", metavar="RULE|KIND")
def explain(rule_id: str) -> None:
    """Show a rule's page: what, why, bad and good examples, options; or every key of a
    kind of file (campaign, policy, config, profile)."""
    from creepcheck.privacy.outbound import visible
    from creepcheck.rules.base import rule_doc
    from creepcheck.rules.registry import by_id, suggest

    rule = by_id(rule_id)
    if rule is None and rule_id in SCHEMA_KINDS:
        from creepcheck.schemas.reference import section_markdown

        click.echo(section_markdown(rule_id), nl=False)
        return
    if rule is None:
        hint = suggest(rule_id)
        _fail(visible(f'unknown rule "{rule_id}"' + (f' (did you mean "{hint}"?)' if hint else "")))
        sys.exit(EXIT_USAGE)
    click.echo(f"{rule.code} {rule.name} (default severity: {rule.default_severity})\n")
    click.echo(rule_doc(rule))
    if rule.options:
        click.echo("\nDefaults:")
        for key, option in rule.options.items():
            click.echo(f"  {key}: {option.default!r}  — {option.help}")


@main.command()
@click.argument("kind", required=False, type=click.Choice(SCHEMA_KINDS))
@click.option("--markdown", is_flag=True, help="The reference page (every kind without KIND).")
def schema(kind: str | None, markdown: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of a kind of file, for editors.

    \b
    creepcheck schema campaign > .schemas/campaign.json
    then, on a campaign file's first line:
    # yaml-language-server: $schema=../.schemas/campaign.json
    """
    import json

    from creepcheck.schemas import editor_schema
    from creepcheck.schemas.reference import reference_markdown, section_markdown

    if markdown:
        click.echo(section_markdown(kind) if kind else reference_markdown(), nl=False)
    elif kind is None:
        _fail("name a kind of file: campaign, policy, config or profile (or use --markdown)")
        sys.exit(EXIT_USAGE)
    else:
        click.echo(json.dumps(editor_schema(kind), indent=2, ensure_ascii=False))


@main.group()
def policy() -> None:
    """Show, validate and list policies."""


@policy.command("list")
def policy_list() -> None:
    """The built-in policies."""
    from creepcheck.policy import builtin_policies

    for name, description in builtin_policies():
        click.echo(f"builtin:{name:<10} {description}")


@policy.command("show")
@click.argument("spec", required=False)
@debug_option
def policy_show(spec: str | None, debug: bool) -> None:
    """The effective merged policy, each value with the file it came from."""
    from creepcheck.loaders.config import load_project_config
    from creepcheck.policy import load_policy
    from creepcheck.policy.show import render_policy
    from creepcheck.privacy.outbound import visible

    with _user_errors(debug):
        config = load_project_config(Path("."))
        base = Path.cwd() if spec else config.root
        policy = load_policy(spec or config.policy, base, root=config.repository_root())
        click.echo(visible(render_policy(policy), keep_layout=True), nl=False)


@policy.command("validate")
@click.argument("spec", required=False)
@debug_option
def policy_validate(spec: str | None, debug: bool) -> None:
    """Check a policy file (default: the project's) and report every problem."""
    from creepcheck.loaders.config import load_project_config
    from creepcheck.policy import load_policy

    with _user_errors(debug):
        config = load_project_config(Path("."))
        name = spec or config.policy
        load_policy(name, Path.cwd() if spec else config.root, root=config.repository_root())
        click.echo(f"{name}: ok")
