"""What an exported animation will hold, settled before any training: which steps its frames
show, at what pace, in which file format. Shared by `laegna-gui record` and View ▸ Export
Animation…; every refusal is one LaegnaError a learner can act on."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from laegna_gui.core.errors import LaegnaError

# the views that change while a network trains (the transform lab does not follow training)
ANIMATION_VIEWS = ("network", "boundary", "loss", "weights", "gradients", "formula",
                   "layer-space", "landscape", "affine-fit")
VIEWS_3D = ("layer-space", "landscape", "affine-fit")
FORMATS = {".gif": "GIF", ".mp4": "MP4"}
DEFAULT_FPS, DEFAULT_SECONDS = 10.0, 6.0
MAX_FPS = 50.0      # GIF delays are in hundredths of a second, and viewers slow shorter ones down
MAX_FRAMES = 1000
# a GIF is assembled in memory (one byte a pixel for every frame) before it is written
GIF_MAX_PIXELS = 300_000_000


@dataclass(frozen=True)
class AnimationPlan:
    """`frames` pictures over `steps` more training iterations, played at `fps`."""

    steps: int
    frames: int
    fps: float

    def frame_steps(self) -> list[int]:
        """The iterations (counted from the start of the recording) frame k shows:
        k·steps/(frames−1), rounded half up; evenly paced, first 0, last `steps`."""
        gaps = self.frames - 1
        return [(2 * k * self.steps + gaps) // (2 * gaps) for k in range(self.frames)]


def plan_animation(steps: int, fps: float = DEFAULT_FPS, seconds: float = DEFAULT_SECONDS) -> AnimationPlan:
    """fps × seconds frames, or one per step when there are fewer steps than that."""
    if steps < 1:
        raise LaegnaError("--steps must be at least 1: an animation shows training as it goes")
    if not (math.isfinite(fps) and 1 <= fps <= MAX_FPS):
        raise LaegnaError(f"--fps must be from 1 to {MAX_FPS:g} frames a second")
    if not (math.isfinite(seconds) and seconds > 0):
        raise LaegnaError("--seconds must be more than 0")
    wanted = round(fps * seconds)
    if not 2 <= wanted <= MAX_FRAMES:
        raise LaegnaError(f"--fps × --seconds gives {wanted} frames; an animation has 2 to {MAX_FRAMES}")
    return AnimationPlan(steps, min(wanted, steps + 1), fps)


def animation_format(name: str | Path) -> str:
    """'GIF' or 'MP4', from the file name's suffix; anything else is refused."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        shown = f"'{Path(name).suffix}'" if Path(name).suffix else "a name without a suffix"
        raise LaegnaError(f"an animation cannot be written as {shown}: "
                          "choose a file name ending in .gif or .mp4")
    return FORMATS[suffix]


def check_frame_size(kind: str, width: int, height: int, frames: int) -> None:
    """MP4 (H.264, yuv420p) needs even sides; a GIF must fit in memory while it is made."""
    if kind == "MP4" and (width % 2 or height % 2):
        raise LaegnaError(f"an MP4 needs an even width and height, not {width}x{height}")
    if kind == "GIF" and width * height * frames > GIF_MAX_PIXELS:
        raise LaegnaError(f"{frames} frames of {width}x{height} are too many for a GIF (made in memory): "
                          "use fewer frames, a smaller size, or .mp4")
