"""Command line: the app by default, `--headless` for the seed's epoch log.

Every flag is checked before anything starts; a bad one gives one line on stderr and exit 2
(argparse's code for usage errors), never a traceback. That includes flags that cannot do what
they say: a file to write whose folder is missing (found after training, it would cost the run),
`--save` without `--headless` (the app would never write it), `--task` with `--resume` naming
another task than the checkpoint's (it would be silently ignored).

Flags that have a default but must not count unless given (`--optimizer`, `--init`, `--epochs`)
default to None here; `_fill_defaults` supplies the documented values once the checks are done.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from collections.abc import Callable, Sequence

from .cli_race import RACE_HELP, check_race_flags, run_race_headless
from .training.errors import Diverged, SessionError
from .training.lesson import STEPS as LESSON_STEPS, check_step
from .training.remedies import HEADLESS
from .training.optimizers import OPTIMIZERS, check_available, get_optimizer
from .training.paths import checkpoint_to_read, file_to_write
from .training.tasks import TASKS
from .training.values import (HIDDEN_LAYERS_MAX, HIDDEN_UNITS_MAX, check_epochs, check_hidden, check_init,
                              check_lr, check_seed, check_targets)

DIVERGED_EXIT = 3
DEFAULT_EPOCHS = 10
BENCH_HINT = "scratchnn-tui bench --help for the benchmark"


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints the usage before each error; a one-line message is kinder in a script."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _checked(check: Callable) -> Callable:
    """Wrap a `values.check_*` so argparse reports its refusal as the argument's error."""

    def parse(text: str):
        try:
            return check(text)
        except SessionError as refusal:
            raise argparse.ArgumentTypeError(str(refusal)) from None

    return parse


def _name_in(names: Sequence[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in names:
            raise argparse.ArgumentTypeError(f"unknown {what} {text!r}; choose one of: {', '.join(names)}")
        return text

    return parse


def _hidden_flag(text: str) -> tuple[int, ...]:
    """`--hidden`: widths, or `none`; an empty value is a mistake here, not a choice."""
    if not text.strip():
        raise SessionError("give the widths: 8, or 4,3 (or none for no hidden layer)")
    return check_hidden(text)


def _lesson_flag(text: str) -> int:
    """`--lesson N`: a step the lesson has."""
    try:
        return check_step(int(text))
    except ValueError as error:
        message = str(error) if text.strip().lstrip("-").isdigit() else f"a step number, 1 to {len(LESSON_STEPS)}, not {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def _theme_name(text: str) -> str:
    """A theme `--theme` accepts: one of Textual's (imported here only when the flag is given)."""
    from .ui.themes import check_theme

    try:
        return check_theme(text)
    except ValueError as refusal:
        raise argparse.ArgumentTypeError(str(refusal)) from None


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must lie in 1–65535, got {port}")
    return port


def _version() -> str:
    """The installed package's version (its metadata), as pip knows it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scratchnn-tui")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="scratchnn-tui",
        description="A neural network layer from first principles, learning in your terminal.",
        epilog=BENCH_HINT,
    )
    parser.add_argument("--version", action="version", version=f"scratchnn-tui {_version()}")
    parser.add_argument("--headless", action="store_true",
                        help="no screen: print 'Epoch N - loss: X' for each epoch and exit")
    parser.add_argument("--race", action="store_true", help=RACE_HELP)
    parser.add_argument("--lesson", type=_lesson_flag, nargs="?", const=1, default=None, metavar="N",
                        help=f"start in the lesson, the article step by step in the app, at step N "
                             f"(1 to {len(LESSON_STEPS)}; default 1); escape leaves it")
    parser.add_argument("--task", type=_name_in(list(TASKS), "task"), default=None,
                        help=f"what the layer learns: {', '.join(TASKS)} (default: triple, or the --data)")
    parser.add_argument("--data", metavar="FILE.csv",
                        help="learn your own data: a CSV with a header row, inputs then targets "
                             "('-': standard input, with --headless); the task is named after the file")
    parser.add_argument("--targets", type=_checked(check_targets), default=1, metavar="N",
                        help="with --data: how many of the last columns are targets (default: 1)")
    parser.add_argument("--hidden", type=_checked(_hidden_flag), default=None, metavar="N[,M…]",
                        help=f"hidden layers between inputs and outputs, their widths from the "
                             f"inputs up: '--hidden 8', '--hidden 4,3' (1–{HIDDEN_UNITS_MAX} units, "
                             f"up to {HIDDEN_LAYERS_MAX} layers; default: none, the article's one layer)")
    parser.add_argument("--optimizer", type=_name_in(list(OPTIMIZERS), "optimizer"), default=None,
                        help=f"{', '.join(OPTIMIZERS)} (default: sgd; with --resume, headless: "
                             f"replaces the checkpoint's, its state started afresh)")
    parser.add_argument("--epochs", type=_checked(check_epochs), default=None,
                        help=f"headless: how many epochs to train (default: {DEFAULT_EPOCHS})")
    parser.add_argument("--lr", type=_checked(check_lr), default=None,
                        help="learning rate (default: the task's own; with --resume, headless: "
                             "replaces the checkpoint's)")
    parser.add_argument("--seed", type=_checked(check_seed), default=None,
                        help="seed for the initial weights (default: 8)")
    parser.add_argument("--init", type=_checked(check_init), default=None,
                        help="how the weights start: uniform (nn.Linear's draw) or zero (the "
                             "article's shortcut, which ReLU never learns from) (default: uniform)")
    parser.add_argument("--device", default="cpu",
                        help="cpu, cuda, cuda:N, mps, or auto: cuda if PyTorch sees one, else mps, "
                             "else cpu (default: cpu)")
    parser.add_argument("--resume", metavar="FILE",
                        help="start from a checkpoint (its task, seed, init, optimizer, lr, epoch "
                             "and history; --lr and --optimizer apply on top headless, --device "
                             "always); 'last' is the session autosaved when the app last quit; "
                             "'list' lists the autosaves kept")
    parser.add_argument("--save", metavar="FILE", help="headless: write a checkpoint at the end")
    parser.add_argument("--json", action="store_const", const=True, default=None,
                        help='headless: print each epoch as a JSON object, {"epoch": N, "loss": X}, '
                             "for scripts and notebooks")
    parser.add_argument("--log-csv", metavar="FILE",
                        help="headless: write 'epoch,loss', one row per epoch printed, at the end")
    parser.add_argument("--fit-csv", metavar="FILE",
                        help="headless: write the function view's numbers at the end: one row per "
                             "grid point, x (x1,x2,…), y (y1,…), each hidden unit's term with one "
                             "input and one hidden layer, and the target where the task has one")
    parser.add_argument("--surface-csv", metavar="FILE",
                        help="headless: write the loss surface's numbers at the end: "
                             "'kind,epoch,<p1>,<p2>,loss' (e.g. w11,b1), a 'grid' row per point of "
                             "the surface and a 'path' row per epoch from 0 (with --race, one path "
                             "per optimizer, its name as the kind)")
    parser.add_argument("--web", action="store_true",
                        help="serve the app to a browser (textual-serve, the 'web' extra) on "
                             "http://127.0.0.1:8000: no authentication, one app per tab")
    parser.add_argument("--host", default=None,
                        help="with --web: the address to listen on (default: 127.0.0.1, this machine "
                             "only; any other is reachable by others: a warning says so)")
    parser.add_argument("--port", type=_port, default=None, help="with --web: the port (default: 8000)")
    parser.add_argument("--theme", type=_theme_name, metavar="NAME",
                        help="the app's colours: one of Textual's themes (textual-dark, textual-light, "
                             "solarized-light, nord, …); remembered for the next start, as is one "
                             "chosen with ctrl+p")
    return parser


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seconds must be a number, got {text!r}") from None
    if not (math.isfinite(seconds) and 0 < seconds <= 600):
        raise argparse.ArgumentTypeError(f"seconds must lie in (0, 600], got {text}")
    return seconds


def build_bench_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="scratchnn-tui bench",
        description="Measure the app beside a bare PyTorch loop: steps/s, refresh rate, "
                    "first frame, key latency, memory.",
    )
    parser.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N or mps (default: cpu)")
    parser.add_argument("--seconds", type=_positive_seconds, default=None,
                        help="length of each timed phase (default: 20; a shared machine's speed "
                             "drifts, and more seconds steady the median); with --sweep, of each "
                             "cell (default: 0.5)")
    parser.add_argument("--task", type=_name_in(list(TASKS), "task"), default="triple")
    parser.add_argument("--optimizer", type=_name_in(list(OPTIMIZERS), "optimizer"), default="sgd")
    parser.add_argument("--hidden", type=_checked(_hidden_flag), default=(), metavar="N[,M…]",
                        help="hidden layers, as the app's --hidden (e.g. --task square --hidden 8)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sweep", action="store_true",
                        help="instead: steps/s of one width→width layer on every device, widths 1 "
                             "to 1024 (4096 with a GPU), and from which width a GPU wins")
    return parser


def run_bench(argv: Sequence[str]) -> int:
    parser = build_bench_parser()
    args = parser.parse_args(argv)
    if args.sweep:
        return _run_sweep(parser, args)
    try:
        check_available(args.optimizer, TASKS[args.task], args.hidden)
        from .training.devices import resolve_device

        device = resolve_device(args.device)
    except SessionError as refusal:
        parser.error(str(refusal))
    from .bench.report import render, run

    settings = {"task": args.task, "optimizer": args.optimizer, "device": device, "hidden": args.hidden}
    print(render(run(settings, args.seconds or 20.0), args.json), flush=True)
    return 0


def _run_sweep(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """`bench --sweep`: its flags checked before torch loads, then the sweep (`bench/sweep.py`)."""
    from .bench import sweep

    refusal = sweep.check_flags(args, parser)
    if refusal:
        parser.error(refusal)
    from .training.errors import one_line

    try:
        figures = sweep.run(args.seconds or sweep.SECONDS)
    except (SessionError, RuntimeError) as failure:  # a GPU that fails to start, or runs out of memory
        print(f"{parser.prog}: the sweep failed: {one_line(failure)}", file=sys.stderr)
        return 1
    print(sweep.render(figures, args.json), flush=True)
    return 0


# -- checks before anything starts ---------------------------------------------------------

# Flags that only a headless run acts on, and what to do in the app instead.
HEADLESS_ONLY = {"save": ("--save", "press w"), "log_csv": ("--log-csv", "press c"),
                 "fit_csv": ("--fit-csv", "press F"), "surface_csv": ("--surface-csv", "press V"),
                 "epochs": ("--epochs", "press e to set the epochs a run lasts"),
                 "json": ("--json", "the screen shows the loss")}
# Flags that change a resumed session; the app's child process builds a resumed session from
# the checkpoint and the device alone, so there they are refused, with the key that does it.
RESUME_OVERRIDES = {"lr": ("--lr", "press e"), "optimizer": ("--optimizer", "press o")}


def _check_app_flags(args: argparse.Namespace) -> None:
    """Without --headless, refuse flags the app would silently ignore: the user would find out
    only after quitting, with no file written and no warning."""
    if not args.web:
        for flag, value in (("--host", args.host), ("--port", args.port)):
            if value is not None:
                raise SessionError(f"{flag} needs --web")
    if args.lesson is not None and (args.headless or args.race):
        raise SessionError(f"--lesson walks through the app's screen; drop {'--headless' if args.headless else '--race'}")
    if args.headless:
        if args.web:
            raise SessionError("--web serves the app's screen; drop it with --headless")
        if args.theme is not None:
            raise SessionError("--theme colours the app's screen; drop it with --headless")
        return
    for attribute, (flag, key) in HEADLESS_ONLY.items():
        if getattr(args, attribute) is not None:
            raise SessionError(f"{flag} needs --headless; in the app {key}")
    if args.resume is not None:
        for attribute, (flag, key) in RESUME_OVERRIDES.items():
            if getattr(args, attribute) is not None:
                raise SessionError(f"{flag} with --resume works headless; in the app {key}")


def _check_paths(args: argparse.Namespace) -> None:
    """The checkpoint to read and the files to write, checked (and `~` expanded) before any
    training: a folder that does not exist must cost a line, not a finished run."""
    if args.resume is not None:
        args.resume = str(checkpoint_to_read(args.resume))
    written = [("--resume", args.resume)]  # the files so far, which a later one must not be
    for flag, attribute in (("--save", "save"), ("--log-csv", "log_csv"), ("--fit-csv", "fit_csv"),
                            ("--surface-csv", "surface_csv")):
        if getattr(args, attribute) is None:
            continue
        path = file_to_write(getattr(args, attribute))
        setattr(args, attribute, path)
        for other_flag, other in written:
            # --save may name the checkpoint --resume read: the run continues it
            if other is not None and flag != "--save" and os.path.abspath(other) == os.path.abspath(path):
                raise SessionError(f"{flag} and {other_flag} name the same file {other}; "
                                   f"one would replace the other")
        written.append((flag, path))


def _fill_defaults(args: argparse.Namespace) -> None:
    """The documented defaults, for flags not given. With --resume the checkpoint's optimizer
    and init stand, so those stay None there."""
    if args.epochs is None:
        args.epochs = DEFAULT_EPOCHS
    if args.resume is None:
        args.optimizer = args.optimizer or "sgd"
        args.init = args.init or "uniform"


def _session_settings(args: argparse.Namespace) -> dict:
    if args.resume is not None:  # the checkpoint's settings; the device is the user's
        return {"resume": args.resume, "device": args.device}
    settings = {"task": args.task, "optimizer": args.optimizer, "lr": args.lr, "device": args.device,
                "data": args.data, "init": args.init, "hidden": args.hidden or ()}
    if args.seed is not None:
        settings["seed"] = args.seed
    return settings


def _read_data(args: argparse.Namespace) -> None:
    """Read and check `--data` before anything loads (it becomes a Task in `args.data`), and
    check that the optimizer suits the task that will be trained."""
    from .training.data_file import read_data

    data = None
    if args.data is not None:
        if args.data == "-" and not args.headless:
            raise SessionError("--data - reads standard input, which the app needs for its keys: "
                               "add --headless, or save the data to a file")
        data = read_data(args.data, targets=args.targets)
    elif args.targets != 1:
        raise SessionError("--targets needs --data")
    args.data = data
    if args.resume is not None:  # the checkpoint's task is not known yet: the session checks
        return
    tasks = {**TASKS, **({data.name: data} if data else {})}
    check_available(args.optimizer, tasks[args.task] if args.task else data or TASKS["triple"],
                    args.hidden or ())


def _check_same_data(session, args: argparse.Namespace) -> None:
    """`--resume` with `--data`: the checkpoint must have been trained on that very data."""
    data = args.data
    if data is None or args.resume is None:
        return
    saved = session.data
    if saved is None:
        raise SessionError(f"{args.resume} was not trained on data from a file; resume it without --data")
    if (saved.inputs, saved.targets) != (data.inputs, data.targets):
        raise SessionError(f"{args.resume} was trained on other data than the --data given "
                           f"({len(saved.inputs)} rows, {saved.in_features} → {saved.out_features}, "
                           f"against {len(data.inputs)} rows, {data.in_features} → {data.out_features}); "
                           f"drop --data or start without --resume")


def _check_agrees(session, args: argparse.Namespace) -> None:
    """`--task`, `--seed`, `--init` and `--data` say how a run starts, and a checkpoint has
    started already: one that names something else contradicts it. Refused rather than
    ignored, since the user would otherwise read the log of a run they did not ask for."""
    if args.resume is None:
        return
    started = (("--task", args.task, session.task.name, "task"), ("--seed", args.seed, session.seed, "seed"),
               ("--init", args.init, session.init, "init"),
               ("--hidden", args.hidden, session.hidden, "hidden layers"))
    for flag, given, saved, what in started:
        if given is not None and given != saved:
            if flag == "--hidden":
                given, saved = ",".join(map(str, given)) or "none", ",".join(map(str, saved)) or "none"
            raise SessionError(f"{flag} {given} contradicts the checkpoint's {what} {saved}; "
                               f"drop {flag} or start without --resume")
    _check_same_data(session, args)


def _apply_overrides(session, args: argparse.Namespace) -> str | None:
    """`--optimizer` and `--lr` given with --resume (headless) replace the checkpoint's. A new
    optimizer starts with no state (momentum, Adam's moments): the one line returned says so,
    since the run no longer continues the saved one exactly."""
    note = None
    if args.optimizer is not None and args.optimizer != session.optimizer_key:
        before = get_optimizer(session.optimizer_key).label
        session.set_optimizer(args.optimizer)
        after = get_optimizer(args.optimizer).label
        note = (f"--optimizer {args.optimizer}: {after} takes over from the checkpoint's {before} "
                f"at epoch {session.epoch}, with its state started afresh")
    if args.lr is not None and args.lr != session.lr:
        session.set_lr(args.lr)
    return note


def theme_choice(flag: str | None):
    """The theme to start with: `--theme` (remembered from now on), else the one remembered in
    the user's config folder, else Textual's default; a config that cannot be used says so."""
    from .storage.user_config import read_theme, remember_theme
    from .ui.themes import ThemeChoice, check_theme

    if flag is not None:
        return ThemeChoice(flag, remember_theme, note=remember_theme(flag))
    name, note = read_theme()
    if name is not None:
        try:
            check_theme(name)
        except ValueError:
            name, note = None, f"the remembered theme {name!r} is not one of Textual's; using the default"
    return ThemeChoice(name, remember_theme, note)


def _serve(argv: Sequence[str], args: argparse.Namespace) -> int:
    """--web: each browser tab runs this command line again, less --web, --host and --port."""
    from .ui.web import DEFAULT_HOST, DEFAULT_PORT, serve

    host, port = args.host or DEFAULT_HOST, args.port or DEFAULT_PORT
    try:
        serve(argv, host, port)
    except OSError as error:  # the port is taken, the address is not this machine's
        raise SessionError(f"could not serve on {host}:{port}: {error.strerror or error}") from None
    return 0


def run_headless(args: argparse.Namespace) -> int:
    from .runtime.process_worker import build_session
    from .storage.loss_csv import EpochLossLog

    session = build_session(**_session_settings(args))
    session.remedies = HEADLESS  # its explanations name flags, not the app's keys
    _check_agrees(session, args)
    change = _apply_overrides(session, args) if args.resume is not None else None
    if change:
        print(f"scratchnn-tui: {change}", file=sys.stderr, flush=True)
    if args.surface_csv:  # a row for every epoch of the run
        session.keep_whole_path(args.epochs)
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(EpochLossLog(args.log_csv)) if args.log_csv else None
        for _ in range(args.epochs):
            epoch = session.epoch  # counts on from a resumed checkpoint's epoch
            try:
                note = session.step()  # says why the network stopped learning, once, if it did
            except Diverged as divergence:
                print(f"scratchnn-tui: {divergence}", file=sys.stderr)
                _write_outputs(session, args, log)  # the finite part of the run is kept
                return DIVERGED_EXIT
            loss = session.loss
            # The article's line, or the same numbers as one JSON object a line (--json).
            line = json.dumps({"epoch": epoch, "loss": loss}) if args.json else f"Epoch {epoch} - loss: {loss:.6f}"
            print(line, flush=True)
            if log is not None:
                log.add(epoch, loss)
            if note:
                print(f"scratchnn-tui: {note}", file=sys.stderr, flush=True)
        _write_outputs(session, args, log)
    return 0


def _write_outputs(session, args: argparse.Namespace, log) -> None:
    """The checkpoint (--save), the epoch log (--log-csv), the function view's numbers
    (--fit-csv) and the loss surface's (--surface-csv), each said on stderr."""
    from .storage import session_io
    from .storage.fit_csv import write_fit_csv
    from .storage.surface_csv import write_surface_csv

    if args.save:
        print(f"scratchnn-tui: {session_io.save(session, args.save)}", file=sys.stderr)
    if log is not None:
        epochs = f"{log.rows} epoch{'' if log.rows == 1 else 's'}"
        print(f"scratchnn-tui: Loss of {epochs} written to {log.commit()}", file=sys.stderr)
    if args.fit_csv:
        print(f"scratchnn-tui: {write_fit_csv(session, args.fit_csv)}", file=sys.stderr)
    if args.surface_csv:
        print(f"scratchnn-tui: {write_surface_csv(session, args.surface_csv)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["bench"]:
        return run_bench(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.resume == "list":
        from .storage.autosave_list import autosave_lines

        print("\n".join(autosave_lines()))
        return 0
    try:
        if args.web:  # before any other work: without the extra, say how to get it
            from .ui.web import check_installed

            check_installed()
        _check_app_flags(args)
        check_race_flags(args)
        _check_paths(args)
        _fill_defaults(args)
        _read_data(args)
        if args.headless and args.race:
            return run_race_headless(args, _session_settings(args), lambda session: _check_agrees(session, args))
        if args.headless:
            return run_headless(args)
        if args.device != "cpu":  # only then is torch worth importing before the first frame
            from .training.devices import resolve_device

            args.device = resolve_device(args.device)
        if args.resume is not None:  # refuse a bad checkpoint here, not on a screen with no session
            from .storage.session_io import load

            _check_agrees(load(args.resume, device=args.device)[0], args)
        if args.web:
            return _serve(argv, args)
        from .ui.app import ScratchApp
        from .ui.web import leave_server_group

        leave_server_group()  # a browser tab's app: the server, not the terminal, stops it
        app = ScratchApp(theme=theme_choice(args.theme), **_session_settings(args),
                         **({"race": True} if args.race else {}),
                         **({"lesson": args.lesson} if args.lesson else {}))
        app.run()
        return app.return_code or 0  # 1: stopped by a signal without having saved
    except SessionError as refusal:
        parser.error(str(refusal))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `| head` closed the pipe: stop quietly, as `yes | head` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return 2
