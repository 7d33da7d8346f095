"""What the transform lab's readouts say about a 4×4 matrix M, as small HTML pages whose
plain text reads well on its own (no Qt: the lab shows them, tests read them).

Pages: the summary (one sentence, determinant, invertibility), the eigenvalues, the SVD
and the inverse M⁻¹. Numbers have DIGITS decimals and never read '-0.000'.
"""

from __future__ import annotations

import numpy as np

from laegna_gui.core import affine

DIGITS = 3
COMPLEX_TOL = 1e-9
SUBSCRIPTS = "₁₂₃"
PAGES = ("Summary", "Eigen", "SVD", "M⁻¹")


def fmt(value: float, digits: int = DIGITS) -> str:
    """A number with fixed decimals and no '-0.000'."""
    value = float(round(float(value), digits)) + 0.0
    return f"{value:.{digits}f}"


def fmt_complex(z: complex, digits: int = DIGITS) -> str:
    """'a' for a real number, 'a ± bi' for a complex one (its conjugate is implied)."""
    if abs(z.imag) <= COMPLEX_TOL:
        return fmt(z.real, digits)
    return f"{fmt(z.real, digits)} ± {fmt(abs(z.imag), digits)}i"


def matrix_lines(M: np.ndarray, digits: int = DIGITS) -> list[str]:
    M = np.atleast_2d(np.asarray(M, dtype=float))
    cells = [[fmt(v, digits) for v in row] for row in M]
    width = max(len(c) for row in cells for c in row)
    return ["[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]


def format_matrix(M: np.ndarray, digits: int = DIGITS) -> str:
    return "\n".join(matrix_lines(M, digits))


def eigen_labels(r: affine.Readouts) -> list[str]:
    """The scene's label of each real eigenvector, in the order of r.real_eigen: 'λ₁=1.61'."""
    return [f"λ{SUBSCRIPTS[i]}={value:.2f}" for i, (value, _) in enumerate(r.real_eigen[:3])]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def matrix_html(M: np.ndarray, digits: int = DIGITS) -> str:
    """M as a table of right-aligned numbers (narrower than fixed-width text, and as clear)."""
    rows = "".join("<tr>" + "".join(f"<td align='right' style='padding-left: 10px'>{fmt(v, digits)}</td>"
                                    for v in row) + "</tr>" for row in np.atleast_2d(M))
    return f"<table cellspacing='0' cellpadding='1'>{rows}</table>"


def summary_html(M: np.ndarray, r: affine.Readouts) -> str:
    det = r.determinant
    line = f"<b>Determinant</b> of W: {fmt(det)} → volumes ×{fmt(abs(det))}"
    if abs(det) <= affine.EPS:
        line += " — space is flattened"
    if r.orientation_flipped:
        line += "<br>orientation flipped — the negative sign means a mirror image"
    if r.invertible:
        invert = "<b>Invertible</b>: the map can be undone (see M⁻¹)."
    else:
        invert = ("<b>Not invertible</b>: some direction is squashed to nothing, so different points "
                  "land on the same spot and the map cannot be undone.")
    return (f"<p><b>In one sentence:</b> {_escape(affine.describe(M))}</p>"
            f"<p>{line}</p><p>{invert}</p>")


def eigen_html(r: affine.Readouts) -> str:
    shown = [fmt_complex(z) for z in r.eigenvalues if z.imag >= -COMPLEX_TOL]
    text = f"<p><b>Eigenvalues</b> of W: {', '.join(shown)}</p>"
    if r.real_eigen:
        rows = "".join(f"<tr><td>λ{SUBSCRIPTS[i]} = {fmt(value)}</td><td style='padding-left: 10px'>"
                       f"({', '.join(fmt(v) for v in vector)})</td></tr>"
                       for i, (value, vector) in enumerate(r.real_eigen))
        text += ("<p>Real eigenvectors: directions W only stretches, by λ</p>"
                 f"<table cellspacing='0' cellpadding='1'>{rows}</table>")
    if any(abs(z.imag) > COMPLEX_TOL for z in r.eigenvalues):
        text += "<p>A complex pair a ± bi means W turns a plane: no direction in it stays put.</p>"
    return text


def svd_html(r: affine.Readouts) -> str:
    mirror = " — a negative scale is a mirror" if np.any(r.svd_s < 0) else ""
    return ("<p><b>SVD</b>: W = U · Σ · Vᵀ = rotation · scale · rotation</p>"
            "<p>U (rotation)</p>" + matrix_html(r.svd_u) +
            f"<p>Σ (scale along the axes{mirror}): {', '.join(fmt(s) for s in r.svd_s)}</p>"
            "<p>Vᵀ (rotation)</p>" + matrix_html(r.svd_vt))


def inverse_html(M: np.ndarray, r: affine.Readouts) -> str:
    if r.inverse is None:
        text = "<p><b>Inverse</b>: not invertible — nothing can undo this map.</p>"
    else:
        text = "<p><b>Inverse</b> M⁻¹ (undoes M)</p>" + matrix_html(r.inverse)
    if not np.allclose(M[3], [0, 0, 0, 1]):
        text += ("<p>The bottom row is not 0 0 0 1: this is a perspective (projective) map, "
                 "not an affine one, so W and b alone do not describe it.</p>")
    return text


def readout_pages(M, r: affine.Readouts | None = None) -> dict[str, str]:
    """Each readout page's HTML, by its title in PAGES."""
    M = np.asarray(M, dtype=float)
    r = affine.readouts(M) if r is None else r
    return dict(zip(PAGES, (summary_html(M, r), eigen_html(r), svd_html(r), inverse_html(M, r))))


def readouts_html(M) -> str:
    """All the readouts as one HTML text, pages in order."""
    return "".join(readout_pages(M).values())
