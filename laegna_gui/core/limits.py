"""Every size limit of Laegna, in one place.

The editor, the CSV importer and project files check these same numbers, so whatever the
app lets you build or import it can save, and whatever it saves it can open again:
MAX_FILE_BYTES is not chosen but derived, as the size of the largest project the other
limits allow (tests/core/test_file_limits.py builds that project and round-trips it).
"""

from __future__ import annotations

import math

import numpy as np

# --- data ---------------------------------------------------------------------------------
MAX_SAMPLES = 100_000  # points of one dataset (generated, imported or drawn): training stays interactive
MAX_COLUMNS = 64  # columns of an imported CSV file, so also the features of a stored dataset
MAX_FEATURES = MAX_COLUMNS  # input columns of a dataset stored in a project
MAX_OUTPUTS = 10  # classes of a classification, target columns of a regression: few enough to plot
MAX_CLASSES = MAX_OUTPUTS  # distinct class labels an imported target column may hold
MAX_CSV_BYTES = 50 * 2**20  # a CSV file is read whole into memory; 64 columns of 100,000 rows fit
MAX_NAME_CHARS = 100  # a feature (column) name: an axis title, not a paragraph
MAX_EXPRESSION_CHARS = 500  # a typed formula (a dataset, a lesson goal): a line, not a program
FLOAT32_MAX = float(np.finfo(np.float32).max)  # data and weights are float32: larger values are infinite

# --- networks -----------------------------------------------------------------------------
MAX_UNITS = 1024  # units of one dense layer
MAX_PARAMETERS = 2_000_000  # trainable numbers of a network: more trains too slowly to watch live
MAX_NODES = 200  # nodes of a network: more no longer fits a canvas a person can read
MAX_EDGES = 1000  # wires of a network (a merge node may take many)
MAX_NODE_ID_CHARS = 64  # a node's name (a letter, then letters, digits, _ or -)

# --- projects -----------------------------------------------------------------------------
SEED_MIN, SEED_MAX = 0, 2**32 - 1  # a 32-bit seed, as most tools take one; the CLI checks --seed too
MAX_PROJECT_NAME_CHARS = 200  # a project's title
MAX_DESCRIPTION_CHARS = 20_000  # a project's description: a lesson of a few pages
MAX_BATCH_SIZE = MAX_SAMPLES  # a larger batch is the whole training set anyway

# The weights a file stores per parameter: a batch-norm unit has 2 parameters but stores 4
# numbers (its running mean and variance too), a dense weight stores 1.
MAX_STORED_WEIGHTS = 2 * MAX_PARAMETERS
MAX_WEIGHT_ARRAYS = 4 * MAX_NODES  # a batch-norm node stores four arrays, a dense node two

# A training recording saved with a project (the time machine's frames): a long run of a small
# network is thinned evenly to these on saving, and a file holding more is refused.
MAX_RECORDED_FRAMES = 10_000
MAX_RECORDED_WEIGHTS = MAX_STORED_WEIGHTS  # numbers of every frame's weights together
MAX_RECORDED_STEP = 2**53  # steps and epochs: whole numbers a float64 holds exactly
RECORDED_STEP_JSON_BYTES = 2 * 24  # a step and an epoch of the recording, each on its indented line

# Upper bounds of the JSON text of the small parts, generous: the test of the largest project
# checks each one against the real text.
JSON_BYTES_PER_CHAR = 12  # ensure_ascii writes a character beyond U+FFFF as two \uXXXX escapes
NODE_JSON_BYTES = 1024  # one node: id, type, params (seven input features at most), position
EDGE_JSON_BYTES = 256  # one wire: two node ids
WEIGHT_ENTRY_JSON_BYTES = 256  # one stored array besides its base64 text: name, shape, dtype
FIXED_JSON_BYTES = 64 * 1024  # format, version, seed, dataset and training settings, indentation
SLACK_BYTES = 2**20  # room for what a later version adds before this sum is revisited


def base64_chars(n_bytes: int) -> int:
    """The length of the base64 text of `n_bytes` bytes (padded, no line breaks)."""
    return 4 * math.ceil(n_bytes / 3)


def _largest_project_bytes() -> int:
    float32 = 4
    points = (base64_chars(MAX_SAMPLES * MAX_FEATURES * float32)  # x
              + base64_chars(MAX_SAMPLES * MAX_OUTPUTS * float32))  # y: regression targets are widest
    weights = (base64_chars(MAX_STORED_WEIGHTS * float32)
               + MAX_WEIGHT_ARRAYS * (WEIGHT_ENTRY_JSON_BYTES + 3))  # +3: one array's base64 padding
    recording = (base64_chars(MAX_RECORDED_WEIGHTS * float32) + MAX_WEIGHT_ARRAYS * (WEIGHT_ENTRY_JSON_BYTES + 3)
                 + base64_chars(MAX_RECORDED_FRAMES * 4 * float32)  # four metrics a frame
                 + MAX_RECORDED_FRAMES * RECORDED_STEP_JSON_BYTES)
    graph = MAX_NODES * NODE_JSON_BYTES + MAX_EDGES * EDGE_JSON_BYTES
    text = (MAX_FEATURES * (JSON_BYTES_PER_CHAR * MAX_NAME_CHARS + 16)  # + quotes, comma, indentation
            + JSON_BYTES_PER_CHAR * (MAX_PROJECT_NAME_CHARS + MAX_DESCRIPTION_CHARS))
    return points + weights + recording + graph + text + FIXED_JSON_BYTES + SLACK_BYTES


# The largest project file: every limit above at once (about 82 MB), rounded up to whole MB.
MAX_FILE_BYTES = math.ceil(_largest_project_bytes() / 2**20) * 2**20
