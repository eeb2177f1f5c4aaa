"""Checkpoints: a session in a safetensors file, its settings as JSON in the file's metadata.

A checkpoint may come from anywhere (a colleague, a download), so loading one must never run
code: safetensors holds raw tensor bytes and a JSON header, nothing executable, and the bytes
are checked here before safetensors parses them. Pickles (`torch.save`, `pickle.dump`) are
refused by their first bytes, never opened. Writes are atomic: a crash or a full disk leaves the
previous file whole, never half of a new one.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import safetensors
import safetensors.torch

from ..training.errors import SessionError, first_line
from ..training.session import Session
from .atomic import reason, write_atomically
from .session_state import export_state, import_state

FORMAT_PREFIX = "scratchnn-tui-checkpoint/"  # then the version: a newer one is named, not misread
FORMAT = FORMAT_PREFIX + "2"
# Version 1 (scratchnn-tui 0.1) named the one layer's parameters `layer.weight` and
# `layer.bias`; version 2 names a network's layers `layers.<k>.weight`. Both are read.
READABLE = {FORMAT_PREFIX + "1": {"model.layer.": "model.layers.0."}, FORMAT: {}}
FORMAT_KEY = "format"        # safetensors metadata key holding FORMAT
META_KEY = "scratchnn_tui"   # safetensors metadata key holding the session's settings as JSON
MAX_BYTES = 256 * 1024 * 1024  # our checkpoints are kilobytes; this only stops a runaway read


# -- writing ------------------------------------------------------------------------------

def save_checkpoint(session: Session, path: str | os.PathLike) -> Path:
    """Save everything needed to resume `session` exactly to `path` (a safetensors file)."""
    return write_atomically(path, checkpoint_bytes(session))


def checkpoint_bytes(session: Session) -> bytes:
    """The checkpoint file of `session`, as bytes: what `save_checkpoint` writes, and what the
    training process sends up as its recovery copy (plain bytes, which the UI can write to a
    file without torch)."""
    tensors, meta = export_state(session)
    try:
        settings = json.dumps(meta)  # floats round-trip exactly through repr
    except (TypeError, ValueError) as error:
        raise SessionError(f"could not describe the session as JSON: {error}") from None
    return safetensors.torch.save(tensors, metadata={FORMAT_KEY: FORMAT, META_KEY: settings})


# -- reading ------------------------------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    """The file's bytes, after checks that need no parsing: a regular file of a sane size (a
    FIFO or a device would block or never end)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise SessionError(f"{path} is {kind}, not a checkpoint file")
        if info.st_size > MAX_BYTES:
            raise SessionError(f"{path} is too large for a checkpoint ({info.st_size // 2**20} MiB; "
                               f"the limit is {MAX_BYTES // 2**20} MiB)")
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)  # + 1: the file may have grown since stat()
    except FileNotFoundError:
        raise SessionError(f"no checkpoint at {path}: the file does not exist") from None
    except OSError as error:
        raise SessionError(f"could not read {path}: {reason(error)}") from None
    if not data or len(data) > MAX_BYTES:
        raise SessionError(f"{path} is {'empty' if not data else 'too large'}, not a checkpoint")
    return data


def _header_length(path: Path, data: bytes) -> int:
    """The safetensors header's length, checked to lie within the file: a safetensors file is
    8 bytes (little-endian header length), then that many bytes of JSON, then tensor data."""
    length = int.from_bytes(data[:8], "little") if len(data) >= 8 else 0
    if data[8:9] == b"{" and 2 <= length <= len(data) - 8:
        return length
    # Not a whole safetensors file: say what it is, if its first bytes tell. These checks come
    # only now because a real header length can begin with the same bytes.
    if data[:1] == b"\x80":  # pickle protocol 2+ (torch.save before 1.6, pickle.dump)
        raise SessionError(f"{path} is a Python pickle, not a checkpoint; pickles are never "
                           f"opened here because loading one can run any code")
    if data[:4] == b"PK\x03\x04":  # a zip archive: torch.save since 1.6 (a pickle inside)
        raise SessionError(f"{path} looks like a torch.save file (a zip holding a pickle), "
                           f"not a checkpoint; it is not opened because that can run code")
    if data[8:9] == b"{" and len(data) - 8 < length <= MAX_BYTES:
        raise SessionError(f"{path} is truncated: its header needs {length} bytes, "
                           f"only {len(data) - 8} follow")
    if len(data) < 8:
        raise SessionError(f"{path} is too short ({len(data)} bytes) to be a checkpoint")
    raise SessionError(f"{path} is not a safetensors file, so not a scratchnn-tui checkpoint")


def _parse(path: Path, data: bytes) -> tuple[dict, dict[str, str]]:
    """Tensors and the safetensors metadata, or SessionError for a damaged file."""
    length = _header_length(path, data)
    try:
        header = json.loads(data[8:8 + length])
    except (ValueError, RecursionError):  # bad UTF-8 too; a crafted header may nest deeply
        header = None
    if not isinstance(header, dict):
        raise SessionError(f"{path} has a corrupted header (not a JSON object): not a checkpoint")
    _check_not_cut_off(path, header, len(data) - 8 - length)
    try:
        tensors = safetensors.torch.load(data)  # checks dtypes, shapes and offsets itself
    except (safetensors.SafetensorError, ValueError, TypeError, RuntimeError, OverflowError) as error:
        raise SessionError(f"{path} is a damaged safetensors file: {first_line(error)}") from None
    metadata = header.get("__metadata__")
    return tensors, metadata if isinstance(metadata, dict) else {}


def _check_not_cut_off(path: Path, header: dict, data_bytes: int) -> None:
    """Name the commonest damage plainly: tensors reaching past the end of a cut-off copy."""
    try:
        end = max((entry["data_offsets"][1] for key, entry in header.items() if key != "__metadata__"),
                  default=0)
    except (LookupError, TypeError):
        return  # a malformed entry: safetensors says what is wrong with it
    if isinstance(end, int) and end > data_bytes:
        raise SessionError(f"{path} is truncated: its tensors need {end} bytes, only {data_bytes} follow")


def checkpoint_settings(path: str | os.PathLike) -> dict:
    """A checkpoint's settings (task, epoch, …) without building its session: for a listing."""
    path = Path(path)
    return _settings(path, _parse(path, _read_bytes(path))[1])


def _settings(path: Path, metadata: dict[str, str]) -> dict:
    """The session's settings from our metadata, after checking the format marker."""
    marker = metadata.get(FORMAT_KEY)
    if not isinstance(marker, str) or not marker.startswith(FORMAT_PREFIX):
        raise SessionError(f"{path} is a safetensors file but not a scratchnn-tui checkpoint")
    if marker not in READABLE:
        raise SessionError(f"{path} has checkpoint format {marker!r}, which this version of "
                           f"scratchnn-tui cannot read (it reads {', '.join(map(repr, READABLE))}); "
                           f"is it from a newer one?")
    try:
        settings = json.loads(metadata.get(META_KEY, ""))
    except (ValueError, TypeError, RecursionError) as error:
        raise SessionError(f"{path}: the session settings are not valid JSON ({first_line(error)})") from None
    if not isinstance(settings, dict):
        raise SessionError(f"{path}: the session settings are not a JSON object")
    return settings


def _renamed(tensors: dict, marker: str) -> dict:
    """The tensors under this version's names (see READABLE)."""
    renames = READABLE[marker]
    for old, new in renames.items():
        tensors = {(new + key[len(old):] if key.startswith(old) else key): value
                   for key, value in tensors.items()}
    return tensors


def load_checkpoint(path: str | os.PathLike, device: str = "cpu") -> Session:
    """The session saved at `path`, on `device`; SessionError (one line) if it cannot be."""
    path = Path(path)
    return session_from_bytes(_read_bytes(path), device, path)


def session_from_bytes(data: bytes, device: str = "cpu", path: Path | str = "the recovery copy") -> Session:
    """The session in `data` (a checkpoint file's bytes, `checkpoint_bytes`), on `device`;
    `path` names where the bytes came from in a refusal."""
    tensors, metadata = _parse(path, data)
    settings = _settings(path, metadata)
    try:
        return import_state(_renamed(tensors, metadata[FORMAT_KEY]), settings, device=device)
    except SessionError as error:
        raise SessionError(f"cannot resume from {path}: {error}") from None
    except (ArithmeticError, LookupError, ValueError, TypeError) as error:
        # import_state should turn these into SessionError itself; a crafted file must
        # still give a message, never a traceback.
        raise SessionError(f"cannot resume from {path}: the checkpoint does not describe a "
                           f"session ({type(error).__name__}: {first_line(error)})") from None


