"""Writing the frames of an animation as a GIF (Pillow) or an MP4 (imageio's ffmpeg plugin,
whose wheel ships the encoder). Frames are RGB arrays of one size, added one at a time.

Nothing appears under the file's name until `finish`: the GIF is made in memory, the MP4 in
a hidden scratch file beside it, and either goes into place whole (core.atomic_file). `discard`
(Cancel, Ctrl-C, an error) leaves the folder as it was."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np

from laegna_gui.core.animation_plan import animation_format
from laegna_gui.core.atomic_file import check_writable, write_atomic

MP4_QUALITY = 8  # imageio's 0-10 scale (libx264's constant quality); 8 keeps text crisp


class GifWriter:
    """Frames quantized to 256 colours as they come; encoded once, at `finish`."""

    def __init__(self, path: Path, fps: float) -> None:
        self.path, self.fps = path, fps
        self.frames: list = []

    def append(self, rgb: np.ndarray) -> None:
        from PIL import Image

        self.frames.append(Image.fromarray(rgb, "RGB").quantize(256, method=Image.Quantize.MEDIANCUT))

    def finish(self) -> Path:
        data = io.BytesIO()
        first, *rest = self.frames
        first.save(data, format="GIF", save_all=True, append_images=rest, loop=0,
                   duration=round(1000 / self.fps))
        self.frames = []
        return write_atomic(self.path, data.getvalue())

    def discard(self) -> None:
        self.frames = []


class Mp4Writer:
    """H.264 in yuv420p (what every player reads), streamed to ffmpeg frame by frame."""

    def __init__(self, path: Path, fps: float) -> None:
        import imageio.v2 as imageio

        self.path = path
        real = check_writable(path)  # the scratch file goes beside the file a link names
        fd, scratch = tempfile.mkstemp(prefix=f".{real.stem[:100]}.", suffix=".mp4", dir=real.parent)
        os.close(fd)
        self.scratch = Path(scratch)
        try:
            self.writer = imageio.get_writer(self.scratch, format="FFMPEG", mode="I", fps=fps, codec="libx264",
                                             pixelformat="yuv420p", quality=MP4_QUALITY, macro_block_size=2,
                                             ffmpeg_log_level="error")
        except BaseException:
            self.scratch.unlink(missing_ok=True)
            raise

    def append(self, rgb: np.ndarray) -> None:
        self.writer.append_data(rgb)

    def finish(self) -> Path:
        try:
            self.writer.close()
            return write_atomic(self.path, self.scratch.read_bytes())
        finally:
            self.scratch.unlink(missing_ok=True)

    def discard(self) -> None:
        try:
            self.writer.close()
        except Exception:  # noqa: BLE001 - a broken encoder is closed all the same; its file goes
            pass
        finally:
            self.scratch.unlink(missing_ok=True)


def open_animation(path: str | Path, fps: float) -> GifWriter | Mp4Writer:
    """A writer for `path` (.gif or .mp4, else LaegnaError), checked writable now (OSError)."""
    path = Path(path)
    kind = animation_format(path)
    check_writable(path)  # refused before any training, not after it
    return GifWriter(path, fps) if kind == "GIF" else Mp4Writer(path, fps)
