"""Set up scratchnn-tui from a fresh clone in one command, and open it (or run its tests).

    python3 bootstrap.py [--torch auto|cpu|cuda] [-- app arguments]
    python3 bootstrap.py test [--torch auto|cpu|cuda] && .venv/bin/python -m pytest -q

It installs into `.venv` in this checkout (made if new: always that one, so the README's test
command knows where pytest is); installs PyTorch (pinned to the tested release) unless a recent
enough one is already there; installs the app (`pip install -e .`, with the `test` extra for
`test`); then opens the app, or, for `test`, leaves the tests to `.venv/bin/python -m pytest`.

Why a script: the default PyTorch wheel on Linux is the CUDA build, several GB of NVIDIA
libraries that a machine without an NVIDIA GPU cannot use. pip alone cannot choose the build, so
this asks pip which build it would take (a dry run that downloads nothing but metadata) and,
when that one needs CUDA libraries and there is no NVIDIA GPU here, takes PyTorch's CPU build
from PyTorch's own index instead. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TORCH_VERSION = "2.13.0"  # the release the tests pass with
TORCH_MINIMUM = (2, 6)  # pyproject.toml's `torch>=2.6`: an installed torch this new is kept
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PIP_WITH_REPORT = (22, 2)  # `pip install --dry-run --report` first came in pip 22.2
WINDOWS = os.name == "nt"


class BootstrapError(Exception):
    """A step that cannot go on: its message is the one line the user sees."""


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    command: str  # "app" or "test"
    torch: str  # "auto", "cpu" or "cuda"
    rest: tuple[str, ...]  # the arguments after `--`, for the app or for pytest


@dataclass(frozen=True)
class TorchPlan:
    """How to install PyTorch: the requirement, where from, and the line that says why."""

    requirement: str
    index_url: str | None  # None: wherever pip's own configuration finds it
    summary: str


def parse_args(argv: list[str]) -> Options:
    """Read the command line; everything after the first `--` is passed on untouched."""
    rest: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, rest = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(
        prog="bootstrap.py",
        description="Install scratchnn-tui (and PyTorch) into .venv, then open the app, or "
                    "with `test` install the test extras too.",
        epilog="Arguments after -- go to the app.")
    parser.add_argument("command", nargs="?", choices=("app", "test"), default="app",
                        help="app (the default): open the app; test: install the test extras "
                             "(then: .venv/bin/python -m pytest -q)")
    parser.add_argument("--torch", choices=("auto", "cpu", "cuda"), default="auto",
                        help="which PyTorch build to install (auto: CUDA where there is an "
                             "NVIDIA GPU, CPU elsewhere)")
    options = parser.parse_args(argv)
    return Options(options.command, options.torch, tuple(rest))


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~(\[@]", requirement.strip(), maxsplit=1)[0].lower()


def needs_cuda(version: str, requires_dist: list[str]) -> bool:
    """Whether a torch release is a CUDA build: a `+cu…` label, or NVIDIA's libraries required.

    Requirements behind an extra (`; extra == "…"`) are optional and do not count.
    """
    if version.partition("+")[2].startswith("cu"):
        return True
    return any(_requirement_name(req).startswith("nvidia-")
               for req in requires_dist if not re.search(r"\bextra\s*==", req))


def plan_torch(report: dict, gpu: bool, wanted: str = "auto") -> TorchPlan:
    """Choose PyTorch's build from pip's dry-run report of `torch==TORCH_VERSION`.

    `gpu`: whether this machine has an NVIDIA GPU; `wanted`: the --torch word. The build pip
    would take is kept unless it is a CUDA build that cannot be used here (auto, no GPU) or was
    not wanted (cpu): then the CPU build comes from PyTorch's CPU index.
    """
    torch = next((item for item in report.get("install", [])
                  if _requirement_name(item.get("metadata", {}).get("name", "")) == "torch"), None)
    if torch is None:
        raise BootstrapError("pip's dry run of torch names no torch to install")
    version = torch["metadata"]["version"]
    cuda = needs_cuda(version, torch["metadata"].get("requires_dist") or [])
    default = f"torch=={TORCH_VERSION}"
    if wanted == "cuda":
        if not cuda:
            raise BootstrapError(
                f"--torch cuda: the PyTorch build pip takes here ({version}) is not a CUDA build; "
                "install the one pytorch.org gives for your CUDA version, then run this again")
        return TorchPlan(default, None, f"PyTorch {version}, CUDA build: asked for (--torch cuda)")
    if not cuda:
        kind = "a CPU build" if version.endswith("+cpu") else "it needs no CUDA libraries"
        return TorchPlan(default, None, f"PyTorch {version}, pip's default build here: {kind}")
    if wanted == "cpu":
        why = "asked for (--torch cpu)"
    elif gpu:
        return TorchPlan(default, None, f"PyTorch {version}, CUDA build: NVIDIA GPU found")
    else:
        why = "no NVIDIA GPU here (pip's default is the CUDA build, several GB)"
    return TorchPlan(f"torch=={TORCH_VERSION}+cpu", CPU_INDEX,
                     f"PyTorch {TORCH_VERSION}, CPU build from PyTorch's CPU index: {why}")


def release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version: '2.13.0+cpu' → (2, 13, 0)."""
    numbers = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(n) for n in numbers.group().split(".")) if numbers else ()


def has_nvidia_gpu() -> bool:
    """An NVIDIA driver here: its `nvidia-smi` on PATH, or its kernel module loaded (Linux)."""
    return shutil.which("nvidia-smi") is not None or Path("/proc/driver/nvidia").exists()


def say(line: str) -> None:
    print(f"bootstrap: {line}", flush=True)


def run(command: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a step; a failure becomes one line naming the step (its own output came before it)."""
    try:
        result = subprocess.run(command, **kwargs)
    except OSError as error:
        raise BootstrapError(f"{what}: could not run {command[0]}: {error.strerror}") from None
    if result.returncode != 0:
        detail = ""
        if kwargs.get("capture_output"):
            lines = [ln for ln in (result.stderr or "").splitlines() if ln.strip()]
            detail = f": {lines[-1].strip()}" if lines else ""
        raise BootstrapError(f"{what} failed (exit {result.returncode}){detail}")
    return result


def bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if WINDOWS else "bin")


def environment() -> Path:
    """The virtual environment to install into: `.venv` here, made if new. Always that one, so
    the README's test command (`.venv/bin/python -m pytest`) runs where the extras went."""
    venv, why = ROOT / ".venv", "this checkout's"
    python = bin_dir(venv) / ("python.exe" if WINDOWS else "python")
    if not venv.exists():
        say(f"making {venv}")
        run([sys.executable, "-m", "venv", str(venv)],
            "python3 -m venv (on Debian or Ubuntu: apt install python3-venv)")
        why = "made now"
    if not python.exists():
        raise BootstrapError(f"{venv} has no Python in it ({python}): remove it and run this again")
    say(f"using {venv} ({why})")
    return venv


def ensure_pip(python: str) -> None:
    """A pip new enough for `--dry-run --report` (a fresh venv of an old Python may lack it)."""
    out = run([python, "-m", "pip", "--version"], "pip --version",
              capture_output=True, text=True).stdout
    if release(out.split()[1] if len(out.split()) > 1 else "") < PIP_WITH_REPORT:
        say("upgrading pip (it is older than 22.2, which this needs)")
        run([python, "-m", "pip", "install", "--upgrade", "pip"], "pip install --upgrade pip")


def installed_torch(python: str) -> str | None:
    """The torch version installed in that environment, or None."""
    code = ("import importlib.metadata as m\ntry: print(m.version('torch'))\n"
            "except m.PackageNotFoundError: pass")
    out = run([python, "-c", code], "looking for an installed torch",
              capture_output=True, text=True).stdout.strip()
    return out or None


def ensure_torch(python: str, wanted: str) -> None:
    """Install PyTorch unless a recent enough one is there; choose its build (see plan_torch)."""
    present = installed_torch(python)
    if present and release(present) >= TORCH_MINIMUM:
        note = "" if wanted == "auto" else f" (--torch {wanted} chooses a new install's build; " \
                                           "to change it: pip uninstall torch, then run this again)"
        say(f"PyTorch {present} already installed: kept{note}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        report_path = Path(scratch) / "torch.json"
        run([python, "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps",
             "--report", str(report_path), f"torch=={TORCH_VERSION}"],
            "asking pip which PyTorch build it would take", capture_output=True, text=True)
        report = json.loads(report_path.read_text(encoding="utf-8"))
    plan = plan_torch(report, has_nvidia_gpu(), wanted)
    say(plan.summary)
    command = [python, "-m", "pip", "install", plan.requirement]
    if plan.index_url:
        # Only torch from that index: its dependencies come from pip's usual index with the app's.
        command += ["--no-deps", "--index-url", plan.index_url]
    run(command, f"pip install {plan.requirement}")


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    if sys.version_info < (3, 10):
        raise BootstrapError(f"scratchnn-tui needs Python 3.10 or newer; this is "
                             f"{sys.version.split()[0]} (try python3.11 bootstrap.py)")
    venv = environment()
    python = str(bin_dir(venv) / ("python.exe" if WINDOWS else "python"))
    ensure_pip(python)
    ensure_torch(python, options.torch)
    target = ".[test]" if options.command == "test" else "."
    say(f"installing scratchnn-tui and its dependencies (pip install -e '{target}')")
    run([python, "-m", "pip", "install", "--quiet", "-e", target], f"pip install -e '{target}'",
        cwd=ROOT)
    # As activation would: the app and the tests find this environment's commands first.
    env = {**os.environ, "VIRTUAL_ENV": str(venv),
           "PATH": os.pathsep.join([str(bin_dir(venv)), os.environ.get("PATH", "")])}
    if options.command == "test":
        say(f"ready for the tests: {python} -m pytest -q")
        return 0
    app = str(bin_dir(venv) / ("scratchnn-tui.exe" if WINDOWS else "scratchnn-tui"))
    say("opening the app (scratchnn-tui)")
    if WINDOWS:  # Windows has no exec that replaces the process
        return subprocess.run([app, *options.rest], env=env).returncode
    try:  # the app takes this process over: the terminal's signals go straight to it
        os.execve(app, [app, *options.rest], env)
    except OSError as error:
        raise BootstrapError(f"could not open {app}: {error.strerror}") from None
    return 0  # not reached


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BootstrapError as error:
        print(f"bootstrap: error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
