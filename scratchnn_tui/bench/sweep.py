"""`scratchnn-tui bench --sweep`: what an epoch costs on each device, by the layer's width.

A user can press `d` to train on a GPU, and on this app's tiny layers the GPU is the slower one:
an epoch there is a few dozen small operations, each paying a kernel launch's fixed fee, which is
larger on a GPU (measured on an H200 box: a 2→2 layer at ~7,000 steps/s on the cpu, ~2,200 on
cuda). Only big layers give the GPU enough arithmetic to win. The sweep times the app's own
epoch (`training.fast_loop` over a `ScratchNet` of one width→width layer, the core's SGD, one
full batch of BATCH rows) on every kind of device there is, for WIDTHS, and says from which
width a GPU beats the cpu.

The cells are timed in ROUNDS interleaved passes (width 1 on each device, width 16, …, then
again), each cell's figure the median of its rounds: on a shared machine whose speed drifts,
the drift then falls on every cell alike instead of on whichever came last.

Importing this module costs no `import torch`: the command line checks its flags first.
"""

from __future__ import annotations

import platform
import time

from .machine import cpu_count

WIDTHS = (1, 16, 256, 1024)
GPU_WIDTH = 4096  # only where there is a GPU: on the cpu alone it would take seconds an epoch
# 1,024 rows: from width 16 up the arithmetic, not the fixed fees, sets the pace, so the cost
# of width shows (at 64 rows widths 1 and 16 cost the same within the noise).
BATCH = 1024
SECONDS = 0.5  # a cell's default time: the cpu's four cells take ~3 s
ROUNDS = 5
LR = 1e-3  # small enough that no random batch diverges in a sweep's few thousand epochs
NOT_FOR_SWEEP = ("device", "task", "optimizer", "hidden")  # bench flags that the sweep does not take


def check_flags(args, parser) -> str | None:
    """Why the flags given with --sweep do not fit it, or None: it measures every device, on
    layers of its own, with SGD, so --device, --task, --optimizer and --hidden would be ignored."""
    for name in NOT_FOR_SWEEP:
        value = getattr(args, name)
        if value != parser.get_default(name):
            value = ",".join(map(str, value)) if isinstance(value, tuple) else value
            return (f"--{name} {value} does not apply to --sweep, which times one width→width layer "
                    f"with SGD on every device there is; drop --{name}")
    return None


def sweep_devices() -> list[str]:
    """The cpu, then the first device of each other kind there is (cuda:0, mps): one GPU of
    a kind answers the question for all of them."""
    from ..training.devices import available_devices

    devices = []
    for device in available_devices():
        kind = device.split(":")[0]
        if all(d.split(":")[0] != kind for d in devices):
            devices.append(device)
    return devices


def widths_for(devices: list[str]) -> tuple[int, ...]:
    """WIDTHS, and GPU_WIDTH too where a GPU is among `devices`."""
    return WIDTHS + (GPU_WIDTH,) if any(d != "cpu" for d in devices) else WIDTHS


def gpu_wins_from(sweep: list[dict]) -> int | None:
    """The smallest width from which a GPU beats the cpu: at it and at every wider one measured,
    the fastest GPU's steps/s are above the cpu's. None if it never does, or there is no GPU."""
    cpu = {cell["width"]: cell["steps_per_s"] for cell in sweep if cell["device"] == "cpu"}
    gpu: dict[int, float] = {}
    for cell in sweep:
        if cell["device"] != "cpu":
            gpu[cell["width"]] = max(gpu.get(cell["width"], 0.0), cell["steps_per_s"])
    wins_from = None
    for width in sorted(set(cpu) & set(gpu), reverse=True):
        if gpu[width] <= cpu[width]:
            break
        wins_from = width
    return wins_from


def _cell(device: str, width: int):
    """An `EpochTimer` for one layer of `width` → `width` on `device`, warmed up. The weights
    and the batch are drawn under a private seed: the same numbers on every device."""
    import torch

    from ..core.net import ScratchNet
    from ..training.device_cost import EpochTimer
    from ..training.optimizers import get_optimizer

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = ScratchNet([width, width])
        x, y = torch.rand(BATCH, width), torch.rand(BATCH, width)
    model = model.to(device)
    optimizer = get_optimizer("sgd").build(model.named_parameters(), LR, None)
    timer = EpochTimer(model, optimizer, x.to(device), y.to(device))
    timer.warm_up()
    return timer


def run(seconds: float = SECONDS) -> dict:
    """Time every cell for about `seconds` in all (ROUNDS slices), and report."""
    import torch

    devices = sweep_devices()
    widths = widths_for(devices)
    started = time.perf_counter()
    cells = {(device, width): _cell(device, width) for width in widths for device in devices}
    for _ in range(ROUNDS):
        for timer in cells.values():
            timer.run(seconds / ROUNDS)
    sweep = [{"device": device, "width": width, "steps_per_s": float(timer.steps_per_s)}
             for (device, width), timer in cells.items()]
    return {"sweep": sweep, "gpu_wins_from": gpu_wins_from(sweep), "devices": devices,
            "widths": list(widths), "batch": BATCH, "seconds": seconds, "rounds": ROUNDS,
            "threads": torch.get_num_threads(),
            "took_s": round(time.perf_counter() - started, 2), "machine": _machine(torch, devices)}


def _machine(torch, devices: list[str]) -> str:
    cpus = cpu_count()
    gpus = [torch.cuda.get_device_name(d) for d in devices if d.startswith("cuda")]
    return ", ".join([f"{platform.machine()}, {cpus} cpus (torch uses {torch.get_num_threads()} threads)",
                      *gpus, platform.system(), f"Python {platform.python_version()}",
                      f"torch {torch.__version__}"])


def verdict(figures: dict) -> str:
    """Where the GPU starts to win, in words."""
    if len(figures["devices"]) == 1:
        return "No GPU here: only the cpu was measured."
    wins_from = figures["gpu_wins_from"]
    if wins_from is None:
        return f"The GPU never beat the cpu here, up to width {max(figures['widths'])}."
    return f"The GPU starts to win from width {wins_from}."


def render(figures: dict, as_json: bool) -> str:
    """One JSON object, or a table: a row a width, a column a device, in steps/s."""
    import json

    if as_json:
        return json.dumps(figures)
    devices = figures["devices"]
    rates = {(cell["device"], cell["width"]): cell["steps_per_s"] for cell in figures["sweep"]}
    lines = [f"scratchnn-tui bench --sweep: the app's epoch (one width→width layer, SGD, a full "
             f"batch of {figures['batch']}), steps/s; {figures['seconds']:g} s a cell",
             f"machine: {figures['machine']}",
             "  width" + "".join(f"{device:>12}" for device in devices)]
    for width in figures["widths"]:
        lines.append(f"  {width:>5}" + "".join(f"{rates[device, width]:>12,.0f}" for device in devices))
    lines.append(verdict(figures))
    lines.append("Tiny layers are dominated by kernel launches and synchronisation, big ones by arithmetic.")
    return "\n".join(lines)
