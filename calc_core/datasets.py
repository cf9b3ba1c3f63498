"""The public name of the toy datasets: ``from calc_core.datasets import make_dataset``.

They live in :mod:`calc_core.data.datasets`, beside the CSV reader they share
the points' conventions with; this module keeps the published import working.
"""

from calc_core.data.datasets import DATASET_NAMES, DatasetError, make_dataset

__all__ = ["DATASET_NAMES", "DatasetError", "make_dataset"]
