"""`laegna-gui bench --soak MINUTES`: train for a long time with every view live, and report
whether memory grows and how the event loop keeps up.

The window plays a preset while a timer walks through every view (each central tab, and
under the Network tab each live tab), so every view draws for a while in every round.
Every `sample_seconds` it records resident memory, epochs and the GUI timer's gaps since the
last sample. Memory growth is measured from the first sample after the warm-up (every
view has drawn once: each allocates on its first draw; caches and the history fill) to
the end.
"""

from __future__ import annotations

import gc
import sys
import time

import numpy as np

from laegna_gui.bench.live import close_window, gap_timer, open_window, rss_kib

SOAK_TARGET_GROWTH_PERCENT = 5.0
HISTOGRAM_BINS = 100_000  # 0.1 ms bins up to 10 s


def _views(window) -> list[tuple[int, int]]:
    """(central tab, live tab) pairs that together show every view once."""
    central = window.tabs.count()
    live = window.training.tabs.count()
    return [(0, i) for i in range(live)] + [(c, i % live) for i, c in enumerate(range(1, central))]


def _view_name(window) -> str:
    name = window.tabs.tabText(window.tabs.currentIndex())
    if window.tabs.currentIndex() == 0:
        name += " / " + window.training.tabs.tabText(window.training.tabs.currentIndex())
    return name


def run_soak(minutes: float, preset: str = "spiral", display: bool = False, sample_seconds: float = 10.0,
             rotate_seconds: float = 15.0, progress=None) -> dict:
    """Play `preset` for `minutes` with all views live; a dict of what was measured."""
    from laegna_gui.bench.live import start_application
    from laegna_gui.core.presets import load_preset
    from laegna_gui.engine.compiled import prepare

    prepare.ensure(block=True)  # warm: the kernels compiled (once after installing) and loaded
    app = start_application(display)
    from PySide6.QtCore import QEventLoop, QTimer

    window, frames = open_window(app, load_preset(preset))
    controller = window.training.controller
    views = _views(window)
    # the baseline is taken once every view has drawn (each allocates on its first draw)
    warmup = min(max(60.0, (len(views) + 1) * rotate_seconds), minutes * 60 * 0.5)
    samples: list[dict] = []
    # only the current sample's ticks and frames are kept (the soak must not grow by itself);
    # the whole run's gaps go into a histogram of 0.1 ms bins
    ticks: list[float] = []
    gaps_histogram = np.zeros(HISTOGRAM_BINS + 1, dtype=np.int64)
    state = {"view": 0, "epoch": 0}

    def rotate() -> None:
        state["view"] = (state["view"] + 1) % len(views)
        central, live = views[state["view"]]
        window.tabs.setCurrentIndex(central)
        window.training.tabs.setCurrentIndex(live)

    def sample() -> None:
        now = time.perf_counter()
        gaps = np.diff(ticks) * 1000 if len(ticks) > 1 else np.zeros(1)
        del ticks[:-1]
        add_to_histogram(gaps_histogram, gaps)
        if frames:
            state["epoch"] = frames[-1][1]
        row = {"t_s": round(now - start, 2), "rss_mib": rss_kib() / 1024, "epoch": state["epoch"],
               "fps": len(frames) / sample_seconds,
               "gap_p99_ms": float(np.percentile(gaps, 99)), "gap_max_ms": float(gaps.max()),
               "running": bool(controller.running), "view": _view_name(window)}
        frames.clear()
        samples.append(row)
        if not controller.running:  # a paused run (divergence, an error) is restarted, and counted
            row["restarted"] = True
            controller.play()
        if progress:
            progress(row)

    gc.collect()
    frames.clear()
    timer = gap_timer(ticks)
    rotator, sampler = QTimer(), QTimer()
    rotator.timeout.connect(rotate)
    sampler.timeout.connect(sample)
    rotator.start(int(rotate_seconds * 1000))
    sampler.start(int(sample_seconds * 1000))
    start = time.perf_counter()
    timer.start()
    controller.play()
    loop = QEventLoop()
    QTimer.singleShot(int(minutes * 60_000), loop.quit)
    loop.exec()
    for t in (timer, rotator, sampler):
        t.stop()
    controller.pause()
    engine = str(getattr(controller.worker.trainer, "engine_name", "torch"))
    close_window(app, window)
    return summarise(samples, gaps_histogram, warmup, minutes, preset, engine)


def add_to_histogram(histogram: np.ndarray, gaps_ms: np.ndarray) -> None:
    """Count gaps into 0.1 ms bins; the last bin holds everything from HISTOGRAM_BINS/10 ms up."""
    bins = np.minimum((np.asarray(gaps_ms) * 10).astype(np.int64), HISTOGRAM_BINS)
    np.add.at(histogram, bins, 1)


def histogram_percentile(histogram: np.ndarray, q: float) -> float:
    """The q-th percentile (0–100) in ms of the gaps counted, to the bin's upper edge."""
    total = int(histogram.sum())
    if not total:
        return 0.0
    index = int(np.searchsorted(np.cumsum(histogram), q / 100 * total))
    return (index + 1) / 10


def summarise(samples: list[dict], histogram: np.ndarray, warmup_s: float, minutes: float, preset: str,
              engine: str) -> dict:
    """The soak's result from its samples: memory growth after the warm-up, gaps over the run."""
    after = [s for s in samples if s["t_s"] >= warmup_s] or samples
    base, end = (after[0]["rss_mib"], after[-1]["rss_mib"]) if after else (0.0, 0.0)
    epochs = samples[-1]["epoch"] - samples[0]["epoch"] if len(samples) > 1 else 0
    span = samples[-1]["t_s"] - samples[0]["t_s"] if len(samples) > 1 else 0.0
    growth = 100.0 * (end - base) / base if base else 0.0
    return {
        "soak_minutes": minutes, "preset": preset, "engine": engine,
        "rss_start_mib": samples[0]["rss_mib"] if samples else 0.0, "rss_baseline_mib": base,
        "rss_end_mib": end, "rss_max_mib": max((s["rss_mib"] for s in samples), default=0.0),
        "rss_growth_percent": growth, "rss_growth_target_percent": SOAK_TARGET_GROWTH_PERCENT,
        "rss_growth_met": growth < SOAK_TARGET_GROWTH_PERCENT,
        "epochs": epochs, "epochs_per_s": epochs / span if span else 0.0,
        "fps_mean": float(np.mean([s["fps"] for s in samples])) if samples else 0.0,
        "gui_gap_p99_ms": histogram_percentile(histogram, 99),
        "gui_gap_max_ms": max((s["gap_max_ms"] for s in samples), default=0.0),
        "restarts": sum(1 for s in samples if s.get("restarted")),
        "samples": samples,
    }


def format_soak(result: dict) -> str:
    lines = [f"soak: {result['soak_minutes']:g} min of {result['preset']} ({result['engine']} engine), "
             "every view live in turn", ""]
    for key in ("rss_start_mib", "rss_baseline_mib", "rss_end_mib", "rss_max_mib", "rss_growth_percent",
                "epochs", "epochs_per_s", "fps_mean", "gui_gap_p99_ms", "gui_gap_max_ms", "restarts"):
        value = result[key]
        lines.append(f"{key:24s} {value:14,.2f}" if isinstance(value, float) else f"{key:24s} {value:>14}")
    mark = "met" if result["rss_growth_met"] else "MISSED"
    lines.append(f"memory growth after warm-up < {SOAK_TARGET_GROWTH_PERCENT:g} %: {mark}")
    return "\n".join(lines)


def print_progress(row: dict) -> None:
    print(f"soak {row['t_s']:8.0f} s  rss {row['rss_mib']:8.1f} MiB  epoch {row['epoch']:>10}  "
          f"fps {row['fps']:5.1f}  gap p99 {row['gap_p99_ms']:6.1f} ms  max {row['gap_max_ms']:6.1f} ms  "
          f"{row['view']}",
          file=sys.stderr, flush=True)
