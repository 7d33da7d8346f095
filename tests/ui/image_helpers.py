"""Reading pixels of QImages in tests."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def pixels(image: QImage) -> np.ndarray:
    """(h, w, 3) uint8 RGB copy (the array must not outlive the QImage whose memory it views)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return data.reshape(image.height(), -1)[:, :image.width() * 3].reshape(image.height(), image.width(), 3).copy()
