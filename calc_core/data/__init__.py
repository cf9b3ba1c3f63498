"""Points to learn from, for the lessons that classify points of the plane.

- :mod:`~calc_core.data.datasets`: generated two-class datasets (circles,
  moons, xor, gaussian, spiral) and the train/test split, for the
  backpropagation lesson;
- :mod:`~calc_core.data.csv_points`: labelled points read from a CSV file a
  learner uploads, for the backpropagation and SVM lessons.

Import from the modules themselves; ``from calc_core.datasets import
make_dataset`` also works, as the public API has always named it.
"""
