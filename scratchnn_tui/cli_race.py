"""`--race` on the command line: every optimizer from the same weights, one row each.

Headless, the race trains `--epochs` epochs and prints a table (or, with `--json`, one JSON
array) of each optimizer's final loss and the epoch its loss first fell below 1e-3. Without
`--headless` the app starts in the race. The flags that make no sense for a race are refused
here, before torch loads, as the command line refuses every bad flag: one line, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from .training.errors import SessionError

RACE_HELP = ("race every optimizer (SGD, momentum, Adam, and Solved where the task has an answer) "
             "from the same starting weights; with --headless print one row per optimizer (--json: "
             "one JSON array), otherwise start the app in the race. --lr sets SGD's and momentum's "
             "learning rate; Adam races at its own")
CHUNK = 1024  # epochs trained between reads: a GPU keeps no more losses than this waiting

# Flags a race cannot honour, and why.
NOT_WITH_RACE = {"optimizer": ("--optimizer", "the race trains every optimizer"),
                 "save": ("--save", "the race trains one network per optimizer, not one session"),
                 "log_csv": ("--log-csv", "the race trains one network per optimizer; --json gives each one's result"),
                 "fit_csv": ("--fit-csv", "the race trains one network per optimizer, not one session")}


def check_race_flags(args: argparse.Namespace) -> None:
    """Refuse, in one line, a flag that a race would silently ignore."""
    if not args.race:
        return
    for attribute, (flag, why) in NOT_WITH_RACE.items():
        if getattr(args, attribute, None) is not None:
            raise SessionError(f"{flag} does not go with --race: {why}")


def run_race_headless(args: argparse.Namespace, settings: dict, check: Callable[[object], None]) -> int:
    """Build the session as a headless run does (`settings`; `check` refuses a checkpoint that
    contradicts the flags), race from its weights for `args.epochs` epochs, print the board."""
    from .runtime.process_worker import build_session
    from .training.race import Race

    session = build_session(**settings)
    check(session)
    race = Race(session, lr=args.lr)
    if race.omitted:
        print(f"scratchnn-tui: {race.omitted}", file=sys.stderr, flush=True)
    if getattr(args, "surface_csv", None):  # a row for every epoch of each racer's path
        for racer in race.racers:
            racer.session.keep_whole_path(args.epochs)
    left = args.epochs
    view = race.view()
    while left > 0:
        try:
            view = race.step(min(CHUNK, left))
        except SessionError as refusal:  # every racer diverged: the board as it stands
            print(f"scratchnn-tui: {refusal}", file=sys.stderr)
            break
        left -= CHUNK
    for note in race.notes():
        if "diverged" in note:
            print(f"scratchnn-tui: {note}", file=sys.stderr)
    print(race_json(view) if args.json else race_table(view), flush=True)
    if getattr(args, "surface_csv", None):  # every racer's path on one surface
        from .storage.surface_csv import write_surface_csv

        print(f"scratchnn-tui: {write_surface_csv(race, args.surface_csv)}", file=sys.stderr)
    return 0


def race_rows(view) -> list[dict]:
    """The board as plain objects: `optimizer`, `final_loss`, `epochs_to_1e-3` (None if never)."""
    return [{"optimizer": row.key, "label": row.label, "lr": row.lr, "epochs": row.epoch,
             "final_loss": row.loss, "epochs_to_1e-3": row.epochs_to_target, "winner": row.winner,
             "diverged": row.diverged} for row in view.rows]


def race_json(view) -> str:
    return json.dumps(race_rows(view))


def race_table(view) -> str:
    """One row per optimizer, then the winner in words."""
    lines = [f"{'optimizer':<10} {'lr':>8} {'final loss':>12} {'epochs to 1e-3':>15}"]
    for row in view.rows:
        lr = "—" if row.lr is None else f"{row.lr:g}"
        reached = "—" if row.epochs_to_target is None else str(row.epochs_to_target)
        mark = "  ★ winner" if row.winner else ("  diverged" if row.diverged else "")
        lines.append(f"{row.key:<10} {lr:>8} {row.loss:>12.6g} {reached:>15}{mark}")
    return "\n".join(lines)
