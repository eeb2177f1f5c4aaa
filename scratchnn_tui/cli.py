"""Command line: the app by default, `--headless` for the seed's epoch log.

Every flag is checked before anything starts; a bad one gives one line on stderr and exit 2
(argparse's code for usage errors), never a traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence

from .training.errors import Diverged, SessionError
from .training.optimizers import OPTIMIZERS, check_available
from .training.tasks import TASKS
from .training.values import check_epochs, check_init, check_lr, check_seed, check_targets

DIVERGED_EXIT = 3


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


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="scratchnn-tui",
        description="A neural network layer from first principles, learning in your terminal.",
    )
    parser.add_argument("--headless", action="store_true",
                        help="no screen: print 'Epoch N - loss: X' for each epoch and exit")
    parser.add_argument("--task", type=_name_in(list(TASKS), "task"), default=None,
                        help=f"what the layer learns: {', '.join(TASKS)} (default: triple, or the --data)")
    parser.add_argument("--data", metavar="FILE.csv",
                        help="learn your own data: a CSV with a header row, inputs then targets "
                             "('-': standard input, with --headless); the task is named after the file")
    parser.add_argument("--targets", type=_checked(check_targets), default=1, metavar="N",
                        help="with --data: how many of the last columns are targets (default: 1)")
    parser.add_argument("--optimizer", type=_name_in(list(OPTIMIZERS), "optimizer"), default="sgd",
                        help=f"{', '.join(OPTIMIZERS)} (default: sgd)")
    parser.add_argument("--epochs", type=_checked(check_epochs), default=10,
                        help="headless: how many epochs to train (default: 10)")
    parser.add_argument("--lr", type=_checked(check_lr), default=None,
                        help="learning rate (default: the task's own)")
    parser.add_argument("--seed", type=_checked(check_seed), default=None,
                        help="seed for the initial weights (default: 8)")
    parser.add_argument("--init", type=_checked(check_init), default="uniform",
                        help="how the weights start: uniform (nn.Linear's draw) or zero (the "
                             "article's shortcut, which ReLU never learns from) (default: uniform)")
    parser.add_argument("--device", default="cpu",
                        help="cpu, cuda, cuda:N or mps (default: cpu)")
    parser.add_argument("--resume", metavar="FILE",
                        help="start from a checkpoint (its task, optimizer, lr, seed, epoch and "
                             "history); 'last' is the session autosaved when the app last quit")
    parser.add_argument("--save", metavar="FILE", help="headless: write a checkpoint at the end")
    parser.add_argument("--log-csv", metavar="FILE", help="headless: write the loss history as CSV at the end")
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
    parser.add_argument("--seconds", type=_positive_seconds, default=20.0,
                        help="length of each timed phase (default: 20; a shared machine's speed "
                             "drifts, and more seconds steady the median)")
    parser.add_argument("--task", type=_name_in(list(TASKS), "task"), default="triple")
    parser.add_argument("--optimizer", type=_name_in(list(OPTIMIZERS), "optimizer"), default="sgd")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def run_bench(argv: Sequence[str]) -> int:
    parser = build_bench_parser()
    args = parser.parse_args(argv)
    try:
        check_available(args.optimizer, TASKS[args.task])
        from .training.devices import resolve_device

        device = resolve_device(args.device)
    except SessionError as refusal:
        parser.error(str(refusal))
    from .bench.report import render, run

    settings = {"task": args.task, "optimizer": args.optimizer, "device": device}
    print(render(run(settings, args.seconds), args.json), flush=True)
    return 0


def _session_settings(args: argparse.Namespace) -> dict:
    if args.resume is not None:  # the checkpoint's settings; only the device is the user's
        return {"resume": args.resume, "device": args.device}
    settings = {"task": args.task, "optimizer": args.optimizer, "lr": args.lr, "device": args.device,
                "data": args.data, "init": args.init}
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
    tasks = {**TASKS, **({data.name: data} if data else {})}
    check_available(args.optimizer, tasks[args.task] if args.task else data or TASKS["triple"])
    args.data = data


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
                           f"against {len(data.inputs)} rows, {data.in_features} → {data.out_features})")


def run_headless(args: argparse.Namespace) -> int:
    from .runtime.process_worker import build_session

    session = build_session(**_session_settings(args))
    _check_same_data(session, args)
    for _ in range(args.epochs):
        epoch = session.epoch  # counts on from a resumed checkpoint's epoch
        try:
            note = session.step()  # says why the network stopped learning, once, if it did
        except Diverged as divergence:
            print(f"scratchnn-tui: {divergence}", file=sys.stderr)
            _write_outputs(session, args)  # the finite part of the run is kept
            return DIVERGED_EXIT
        print(f"Epoch {epoch} - loss: {session.loss:.6f}", flush=True)
        if note:
            print(f"scratchnn-tui: {note}", file=sys.stderr, flush=True)
    _write_outputs(session, args)
    return 0


def _write_outputs(session, args: argparse.Namespace) -> None:
    from .storage import session_io

    if args.save:
        print(f"scratchnn-tui: {session_io.save(session, args.save)}", file=sys.stderr)
    if args.log_csv:
        print(f"scratchnn-tui: {session_io.export_csv(session, args.log_csv)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["bench"]:
        return run_bench(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _read_data(args)
        if args.headless:
            return run_headless(args)
        if args.device != "cpu":  # only then is torch worth importing before the first frame
            from .training.devices import resolve_device

            args.device = resolve_device(args.device)
        if args.resume is not None:  # refuse a bad checkpoint here, not on a screen with no session
            from .storage.session_io import load

            _check_same_data(load(args.resume, device=args.device)[0], args)
        from .ui.app import ScratchApp

        ScratchApp(**_session_settings(args)).run()
        return 0
    except SessionError as refusal:
        parser.error(str(refusal))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `| head` closed the pipe: stop quietly, as `yes | head` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return 2
