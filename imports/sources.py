"""Where pages come from: files and folders on disk, or an uploaded zip, read safely into memory.

Nothing is ever extracted to disk, so a zip member's path can never escape anywhere; names that
try (absolute, ``..``) are refused all the same, and sizes are checked while reading, not trusted
from the zip's own header (a zip bomb declares small sizes).
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

PAGE_SUFFIXES = (".txt", ".text", ".htm", ".html", ".shtml", ".xhtml")
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_ZIP_TOTAL_BYTES = 50 * 1024 * 1024
CHUNK = 64 * 1024


class SourceError(ValueError):
    """A file or archive that cannot be read; the message is for an editor."""


@dataclass
class SourceFile:
    """One page to import: a display name (also its source key) and a way to get its bytes."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    error: str = ""

    def read(self):
        if self.error:
            raise SourceError(self.error)
        if self.data is not None:
            return self.data
        size = self.path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise SourceError(f"文件太大（{size // 1024} KB），网页不应超过 5 MB。")
        return self.path.read_bytes()


def is_page_name(name):
    base = PurePosixPath(name).name
    return base.lower().endswith(PAGE_SUFFIXES) and not base.startswith(".")


def collect(paths):
    """Pages under the given files and folders, in a stable order.

    A file given by itself is named by its file name; a file found in a folder by its path from the
    folder's parent (``pages/2004/a.html``), so two ``index.html`` in different folders stay apart.
    A zip is opened and its pages listed. A path that does not exist is reported as a failure.
    """
    files = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path.parent)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if found.is_file() and is_page_name(found.name):
                    files.append(SourceFile(relative.as_posix(), path=found))
        elif path.is_file() and path.suffix.lower() == ".zip":
            try:
                files += read_zip(path.read_bytes(), prefix=f"{path.name}/")
            except SourceError as exc:
                files.append(SourceFile(path.name, error=str(exc)))
        elif path.is_file():
            files.append(SourceFile(path.name, path=path))
        else:
            files.append(SourceFile(str(given), error="文件或文件夹不存在。"))
    return files


def read_zip(data, prefix=""):
    """The pages in a zip, read into memory with limits on count and sizes.

    Members that are not pages (images, folders, ``__MACOSX``) are skipped; a member that breaks
    a limit or is encrypted or damaged becomes a failed entry rather than stopping the rest.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError("压缩包已损坏或不是 zip 文件。") from exc
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        ]
        pages = [info for info in members if is_page_name(_member_name(info))]
        if len(pages) > MAX_ZIP_MEMBERS:
            raise SourceError(
                f"压缩包里的网页太多（{len(pages)} 个），一次最多 {MAX_ZIP_MEMBERS} 个。"
            )
        files, total = [], 0
        for info in pages:
            name = _member_name(info)
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts or "\\" in name or ":" in path.parts[0]:
                files.append(SourceFile(prefix + name, error="文件名含有不安全的路径，已跳过。"))
                continue
            if info.flag_bits & 0x1:
                files.append(SourceFile(prefix + name, error="文件已加密，无法读取。"))
                continue
            try:
                content = _read_limited(
                    archive, info, min(MAX_PAGE_BYTES, MAX_ZIP_TOTAL_BYTES - total)
                )
            except SourceError as exc:
                files.append(SourceFile(prefix + name, error=str(exc)))
                if total >= MAX_ZIP_TOTAL_BYTES:
                    break
                continue
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
                files.append(SourceFile(prefix + name, error="压缩包中的这个文件已损坏。"))
                continue
            total += len(content)
            files.append(SourceFile(prefix + name, data=content))
        return files


def _member_name(info):
    """The member's name, decoded as GBK when the zip did not mark it UTF-8 (Chinese Windows)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for encoding in ("utf-8", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return name


def _read_limited(archive, info, limit):
    """Read a member, stopping as soon as it is bigger than ``limit`` (whatever it declares)."""
    chunks, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise SourceError("文件解压后太大，已跳过（可能是压缩炸弹）。")
            chunks.append(chunk)
    return b"".join(chunks)
