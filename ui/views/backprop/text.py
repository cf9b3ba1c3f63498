"""The backpropagation lesson's words: its title, summary and task, and the notes its sections show."""

from __future__ import annotations

from ui.controls import LessonText, TaskText
from ui.prose import Points, Prose

TEXT = LessonText(
    title="Backpropagation playground",
    summary=Prose(
        "A neural network is a chain of functions, so its gradient is a chain of Jacobians, multiplied from the "
        "output back.",
        "Press **Train** and watch the decision boundary form.",
    ),
    task=TaskText(
        key="backprop_task",
        prompt=("The course asks: in `backward()`, which is the Jacobian matrix? Name the array that carries the "
                "gradient from layer l back to layer l − 1. For each layer l, from the last to the first, the "
                "course's `backward()` computes (it writes `self.` before each array and calls f′ `func`):\n\n"
                "```python\n"
                "dz[l] = da[l] * f_prime(z[l])  # through the activation, element by element\n"
                "dW[l] = a[l-1].T @ dz[l]       # the gradient of the weights, for the update\n"
                "da[l-1] = dz[l] @ W[l].T       # the gradient handed back to layer l - 1\n"
                "```"),
        hint="Look at the line that computes `da[l-1]`: it multiplies `dz[l]` by something.",
        solution=Prose(
            "In `self.da[l-1] = self.dz[l] @ self.W[l].T` the factor is the weight matrix. The course stores "
            "a batch as rows, z = a W + b, so ∂z/∂a is `W[l].T` and the line is the product of the gradient with "
            "the layer Jacobian (lesson 4's ∂y/∂x = Wᵀ ∂y/∂z). The other factor of backpropagation, "
            "`func(self.z[l])` in `self.dz[l] = self.da[l] * func(self.z[l])`, is the activation's Jacobian: "
            "diagonal, so it is applied element by element.",
            Points("The expanders above show both products with numbers.", sections=("backprop_calculus",))),
        placeholder="e.g. self.X[l]",
    ),
)

COURSE_NOTE = Prose(
    "The course's code trains with a sigmoid derivative that is twice too large (2·σ(1−σ)) and sums the "
    "weight gradients over all samples while averaging the bias gradient, with a learning rate tuned to "
    "that; as printed it ends near 61 % accuracy. This page averages every gradient and uses the correct "
    "derivative.",
    Points("The *course's sigmoid derivative* switch in the Network settings brings the bug back so you can see it fail.",
           ("backprop_course_bug",)))
LIVE_NOTE = ("Learning rate, L2, batch size and optimizer change the running network at its next step, keeping "
             "its weights; any other setting starts a new run at epoch 0. The URL holds the current settings, so "
             "a shared link trains them from epoch 0 (without the changes made along the way).")
CALCULUS = Prose(
    "Each layer computes z = W a + b and then a = f(z). Going backwards, the chain rule multiplies the "
    "gradient by the layer Jacobian ∂z/∂a = W (transposed, because the gradient is a row), then by the "
    "activation's derivative f′(z), element by element (a diagonal Jacobian).",
    Points("Pick a training point and see every product with the network's current weights.", ("backprop_sample",),
           otherwise="Below, every product with the network's current weights."))
ZERO_OUTPUT_NOTE = (
    "The output weights start at zero, so the untrained network predicts ½ everywhere and no gradient reaches "
    "the hidden layers yet: every δ below the output is 0 at epoch 0. Press Step once to see the numbers flow "
    "back.")
COURSE_BUG_NOTE = (
    "With the course's derivative 2·σ(1−σ) the output's δ is 2(ŷ − y), so every gradient is twice the "
    "true one: the relative error |2g − g| / (|2g| + |g|) is exactly 1/3 (more in sigmoid hidden layers, "
    "where the factor compounds). Adam divides each step by the gradient's running size, so it hides a "
    "constant factor; with SGD or momentum the steps double. The course's code has a second problem: it "
    "sums the weight gradients over all 1 000 samples (`a.T @ dz`) but averages the bias gradient "
    "(`np.mean`), so weights and biases move on scales that differ by a factor of 1 000, and its "
    "learning rate 0.005 is tuned to that.")
CSV_PROMPT = "Upload a CSV file to train on your own points, or pick a built-in dataset."
# Settings groups: a change in one starts a new run, and the page names the group.
RUN_GROUPS = {"data": "the data (dataset, samples, noise, data seed, file or its columns)", "split": "the train/test split",
              "network": "the network (layers, activation, input features or the course's derivative)",
              "seeds": "the weight seed"}
SETTING_LABELS = {"learning_rate": "learning rate", "l2": "L2", "batch_size": "batch size", "optimizer": "optimizer"}
