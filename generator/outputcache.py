"""Whole outputs kept under the key of every input that made them: an unchanged build is restored.

A saved output is a manifest (each folder's files: relative path -> SHA-256 of the bytes, its
empty folders, the lines the build printed) plus the files' bytes, stored once per content in a
``Store`` (which checksums every entry). Restoring a folder writes every file into a fresh folder
beside its target and swaps them, as a build does; a target that already holds exactly those
bytes (every file read and hashed, nothing more, no links) is left as it is, which saves writing
and deleting a copy (removing the 2,040 folders of a 1,000-service site took 6 s here). Any
missing or damaged entry makes the whole restore a miss: the caller builds as usual, and the
output is never wrong. Saving prunes the namespace to the output just saved (one build's size).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .cache import Store, digest
from .files import fresh_dir, replace_dir

NAMESPACE = "build"
_FORMAT = "output-manifest-1"


@dataclass(frozen=True)
class Restored:
    """What a restore put in place: each folder's file names, and the lines the build printed."""

    files: dict[str, list[str]]
    notes: list[str]


class _Unlisted(Exception):
    """A folder holds something but plain files and folders (a link, a device)."""


class OutputCache:
    """Outputs by key, in one ``Store`` (``None``: the cache is off)."""

    def __init__(self, root: Path | None):
        self.store = Store(root)

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    def _manifest_key(self, key: str) -> str:
        return digest(_FORMAT, key)

    def restore(self, key: str, targets: dict[str, Path]) -> Restored | None:
        """Put the output saved under ``key`` in place of ``targets`` (name -> folder), in their
        order; None, and nothing touched, when it is not stored whole and intact."""
        raw = self.store.get(self._manifest_key(key))
        try:
            manifest = json.loads(raw) if raw is not None else None
            folders = manifest["folders"] if manifest else None
            if folders is None or sorted(folders) != sorted(targets):
                return None
            stale = [n for n in targets if not _holds(Path(targets[n]), folders[n])]
        except (ValueError, KeyError, TypeError):
            return None
        staged: dict[str, Path] = {}
        try:
            for name in stale:
                staged[name] = fresh_dir(targets[name])
                if not self._write(folders[name], staged[name]):
                    return None
            for name in stale:
                replace_dir(staged.pop(name), targets[name])
        except (OSError, KeyError, TypeError, ValueError):
            return None
        finally:
            for folder in staged.values():
                shutil.rmtree(folder, ignore_errors=True)
        return Restored({n: sorted(folders[n]["files"]) for n in targets}, list(manifest.get("notes", [])))

    def _write(self, folder: dict, into: Path) -> bool:
        """Write one folder's files; False if any entry is missing or damaged (all are still read,
        so every damaged entry is dropped and the next save stores it again)."""
        root = str(into)
        for rel in sorted({os.path.dirname(r) for r in folder["files"]} | set(folder["dirs"])):
            if rel:
                os.makedirs(os.path.join(root, rel), exist_ok=True)
        intact = True
        for rel, blob in folder["files"].items():
            data = self.store.get(blob)  # checked against the checksum stored with it
            if data is None:
                intact = False
            elif intact:
                with open(os.path.join(root, rel), "wb") as f:
                    f.write(data)
        return intact

    def save(self, key: str, folders: dict[str, Path], notes: list[str]) -> bool:
        """Store the files of ``folders`` (name -> folder) under ``key``, then drop every other
        output; False (nothing saved) if a folder holds something but plain files and folders."""
        if not self.enabled:
            return False
        self.store.used = set()  # what this save keeps; the prune drops the rest
        try:
            listed = {name: _listing(Path(folder), self._put) for name, folder in folders.items()}
        except (_Unlisted, OSError):
            return False
        manifest = {"folders": listed, "notes": list(notes)}
        self.store.put(self._manifest_key(key), json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
        try:
            self.store.prune()
        except OSError:
            pass  # an unreadable cache folder costs space, never the build
        return True

    def _put(self, blob: str, data: bytes) -> None:
        if blob not in self.store.used and not self.store.keep(blob, len(data)):
            self.store.put(blob, data)


def _listing(folder: Path, put=None) -> dict:
    """Every file of ``folder`` (relative path -> SHA-256 of its bytes, each handed to ``put``)
    and its empty folders; ``_Unlisted`` at anything else."""
    files: dict[str, str] = {}
    dirs: list[str] = []

    def walk(path: str, rel: str) -> None:
        with os.scandir(path) as it:
            entries = list(it)
        if not entries and rel:
            dirs.append(rel)
        for e in entries:
            name = f"{rel}/{e.name}" if rel else e.name
            if e.is_symlink():
                raise _Unlisted(name)
            if e.is_dir():
                walk(e.path, name)
            elif e.is_file():
                with open(e.path, "rb") as f:
                    data = f.read()
                files[name] = hashlib.sha256(data).hexdigest()
                if put is not None:
                    put(files[name], data)
            else:
                raise _Unlisted(name)

    walk(str(folder), "")
    return {"dirs": sorted(dirs), "files": dict(sorted(files.items()))}


def _holds(target: Path, folder: dict) -> bool:
    """Whether ``target`` holds exactly the files (and empty folders) of ``folder``, byte for byte."""
    if target.is_symlink() or not target.is_dir():
        return False
    try:
        found = _listing(target)
    except (_Unlisted, OSError):
        return False
    return found["files"] == folder["files"] and found["dirs"] == sorted(folder["dirs"])
