"""bootstrap.py: which PyTorch build it chooses from pip's dry-run report, and its command line.

The reports are fakes shaped like pip's `--report` (no network, no install); the script itself is
loaded from the checkout's root, as a newcomer runs it.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bootstrap", ROOT / "bootstrap.py")
bootstrap = importlib.util.module_from_spec(_spec)
sys.modules["bootstrap"] = bootstrap  # dataclasses look their module up while building
_spec.loader.exec_module(bootstrap)

TORCH_DEPS = ["filelock", "typing-extensions>=4.10.0", "sympy>=1.13.3", "networkx>=2.5.1",
              "jinja2", "fsspec>=0.8.5", 'optree>=0.13.0; extra == "optree"']
LINUX = 'platform_system == "Linux" and platform_machine == "x86_64"'


def report(version: str, requires: list[str]) -> dict:
    """pip's dry-run report of one package, as `pip install --dry-run --report` writes it."""
    return {"version": "1", "install": [
        {"metadata": {"name": "torch", "version": version, "requires_dist": requires}}]}


# PyPI's Linux wheel: the CUDA build, NVIDIA's libraries as requirements.
PYPI_LINUX = report("2.13.0", TORCH_DEPS + [f"nvidia-cublas-cu12==12.8.4.1; {LINUX}",
                                            f"nvidia-cudnn-cu12==9.10.2.21; {LINUX}"])
# This machine's wheel on disk (find-links), and PyPI's macOS wheel: no CUDA libraries.
LOCAL_CPU = report("2.13.0+cpu", TORCH_DEPS)
MACOS = report("2.13.0", TORCH_DEPS)


def test_cuda_default_without_a_gpu_takes_the_cpu_build_from_pytorchs_index():
    plan = bootstrap.plan_torch(PYPI_LINUX, gpu=False)
    assert plan.requirement == "torch==2.13.0+cpu"
    assert plan.index_url == "https://download.pytorch.org/whl/cpu"
    assert plan.summary == ("PyTorch 2.13.0, CPU build from PyTorch's CPU index: no NVIDIA GPU "
                            "here (pip's default is the CUDA build, several GB)")


def test_cuda_default_with_a_gpu_is_kept():
    plan = bootstrap.plan_torch(PYPI_LINUX, gpu=True)
    assert (plan.requirement, plan.index_url) == ("torch==2.13.0", None)
    assert plan.summary == "PyTorch 2.13.0, CUDA build: NVIDIA GPU found"


@pytest.mark.parametrize("gpu", [False, True])
@pytest.mark.parametrize("wanted", ["auto", "cpu"])
def test_a_default_that_needs_no_cuda_is_kept_and_pytorchs_index_is_not_asked(gpu, wanted):
    for fake, words in [(LOCAL_CPU, "PyTorch 2.13.0+cpu, pip's default build here: a CPU build"),
                        (MACOS, "PyTorch 2.13.0, pip's default build here: it needs no CUDA "
                                "libraries")]:
        plan = bootstrap.plan_torch(fake, gpu=gpu, wanted=wanted)
        assert (plan.requirement, plan.index_url, plan.summary) == ("torch==2.13.0", None, words)


def test_torch_cpu_overrides_a_gpu():
    plan = bootstrap.plan_torch(PYPI_LINUX, gpu=True, wanted="cpu")
    assert (plan.requirement, plan.index_url) == ("torch==2.13.0+cpu", bootstrap.CPU_INDEX)
    assert plan.summary.endswith("CPU build from PyTorch's CPU index: asked for (--torch cpu)")


def test_torch_cuda_takes_the_cuda_default_even_without_a_gpu():
    plan = bootstrap.plan_torch(PYPI_LINUX, gpu=False, wanted="cuda")
    assert (plan.requirement, plan.index_url) == ("torch==2.13.0", None)
    assert plan.summary == "PyTorch 2.13.0, CUDA build: asked for (--torch cuda)"


def test_torch_cuda_where_pip_offers_only_a_cpu_build_is_refused_in_one_line():
    with pytest.raises(bootstrap.BootstrapError) as refused:
        bootstrap.plan_torch(LOCAL_CPU, gpu=True, wanted="cuda")
    assert str(refused.value) == (
        "--torch cuda: the PyTorch build pip takes here (2.13.0+cpu) is not a CUDA build; "
        "install the one pytorch.org gives for your CUDA version, then run this again")


def test_a_report_without_torch_is_refused():
    with pytest.raises(bootstrap.BootstrapError, match="names no torch"):
        bootstrap.plan_torch({"install": []}, gpu=False)


def test_what_counts_as_a_cuda_build():
    assert bootstrap.needs_cuda("2.13.0+cu126", [])  # PyTorch's own CUDA index labels its builds
    assert bootstrap.needs_cuda("2.13.0", [f"nvidia-nccl-cu12==2.27.3; {LINUX}"])
    assert not bootstrap.needs_cuda("2.13.0", ['nvidia-ml-py; extra == "monitor"'])  # optional
    assert not bootstrap.needs_cuda("2.13.0+cpu", TORCH_DEPS)


def test_release_reads_the_leading_numbers():
    assert bootstrap.release("2.13.0+cpu") == (2, 13, 0)
    assert bootstrap.release("23.2.1") == (23, 2, 1)
    assert bootstrap.release("") == ()


def test_arguments_after_the_double_dash_go_on_untouched():
    assert bootstrap.parse_args([]) == bootstrap.Options("app", "auto", ())
    assert bootstrap.parse_args(["test", "--torch", "cpu", "--", "-x", "tests/a.py"]) == \
        bootstrap.Options("test", "cpu", ("-x", "tests/a.py"))
    assert bootstrap.parse_args(["--", "--task", "xor", "--"]) == \
        bootstrap.Options("app", "auto", ("--task", "xor", "--"))


def test_the_script_runs_on_the_standard_library_alone():
    """`-S`: no site-packages at all, as on a fresh machine; a bad word is refused by argparse."""
    result = subprocess.run([sys.executable, "-S", str(ROOT / "bootstrap.py"), "--torch", "gpu"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "bootstrap.py: error: argument --torch: invalid choice: 'gpu' "
        "(choose from 'auto', 'cpu', 'cuda')")


def test_the_kept_torch_minimum_is_pyprojects():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    minimum = re.search(r'"torch>=([\d.]+)"', pyproject).group(1)
    assert bootstrap.TORCH_MINIMUM == bootstrap.release(minimum)


def test_ci_runs_the_readmes_test_command_as_written():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("\n## Set-up\n", 1)[1].split("\n## ", 1)[0]
    commands = setup.split("```", 2)[1].strip().splitlines()
    assert [line.split("#")[0].strip() for line in commands] == \
        ["python3 bootstrap.py", "python3 bootstrap.py test && .venv/bin/python -m pytest -q"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci
