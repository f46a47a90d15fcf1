"""A small Keras MLP as a scikit-learn estimator, so it sits in the same pipeline and the same folds
as the trees.

Trained by the app's one Keras loop (``engine.core.keras_fit``: compiled chunks of batches, early
stopping on the validation loss, the best epoch's weights kept) on at most ``max_rows`` rows per fit.
The validation tenth is drawn at random from the training rows it is given (Keras' ``validation_split``
took the *last* tenth: on a table sorted by area or date, a biased judge of when to stop). Regression
targets are standardised (the network learns z-scores; predictions are scaled back). After training
only the weights are kept and predictions are a NumPy forward pass: the fitted estimator pickles (it
crosses from the TensorFlow worker to the window) and predicting never imports TensorFlow.
Tuned on Boston's cross-validation folds only (``deepmine mine``): see the hyper-parameters below.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

BATCH = 32
LEARNING_RATE = 1e-3
PATIENCE = 25  # epochs without a better validation loss before stopping
VALIDATION_SHARE = 0.15
MIN_VALIDATION_ROWS = 50  # fewer training rows: no validation, the whole run is trained
L2 = 1e-4  # weight decay on the hidden layers' kernels


class KerasMLP(BaseEstimator):
    def __init__(self, task: str = "regression", hidden: tuple[int, ...] = (32, 16), epochs: int = 60,
                 max_rows: int = 5000, seed: int = 42) -> None:
        self.task = task
        self.hidden = hidden
        self.epochs = epochs
        self.max_rows = max_rows
        self.seed = seed

    # scikit-learn needs to know which kind of estimator this is (scorers, stratification)
    @property
    def _estimator_type(self) -> str:
        return "classifier" if self.task == "classification" else "regressor"

    def __sklearn_tags__(self):  # noqa: ANN204
        tags = super().__sklearn_tags__()
        tags.estimator_type = self._estimator_type
        return tags

    def fit(self, X: Any, y: Any) -> "KerasMLP":
        from engine.core import tf_runtime
        from engine.core.keras_fit import ChunkTrainer, FitConfig, fit_task
        from engine.core.tasks import run_task

        keras = tf_runtime.keras()
        X = np.asarray(X, dtype=np.float32)
        y = np.asarray(y)
        rng = np.random.default_rng(self.seed)
        if len(y) > self.max_rows:
            rows = rng.choice(len(y), self.max_rows, replace=False)
            X, y = X[rows], y[rows]
        keras.utils.set_random_seed(self.seed)
        L = keras.layers
        layers = [keras.Input((X.shape[1],))] + [
            L.Dense(n, activation="relu", kernel_regularizer=keras.regularizers.L2(L2)) for n in self.hidden]
        if self.task == "classification":
            self.classes_, target = np.unique(y.astype(str), return_inverse=True)
            layers.append(L.Dense(len(self.classes_), activation="softmax"))
            loss = "sparse_ce"
        else:
            target = y.astype(np.float64)
            self.y_mean_, self.y_std_ = float(target.mean()), float(target.std() or 1.0)
            target = ((target - self.y_mean_) / self.y_std_).astype(np.float32)
            layers.append(L.Dense(1))
            loss = "mse"
        model = keras.Sequential(layers, name="table_mlp")
        order = rng.permutation(len(target))
        n_val = int(round(len(target) * VALIDATION_SHARE)) if len(target) >= MIN_VALIDATION_ROWS else 0
        val, train = order[:n_val], order[n_val:]
        trainer = ChunkTrainer(model, keras.optimizers.Adam(LEARNING_RATE), loss, (X.shape[1],))
        config = FitConfig(epochs=self.epochs, batch_size=BATCH, seed=self.seed,
                           early_stopping_patience=PATIENCE if n_val else None, restore_best=True)
        fitted = run_task(fit_task(trainer, X[train], target[train], config,
                                   x_val=X[val] if n_val else None, y_val=target[val] if n_val else None, rng=rng))
        if fitted.diverged:
            from engine.core.errors import InputError

            raise InputError("The neural network's training diverged: {reason}", reason=fitted.reason)
        self.weights_ = [w.astype(np.float32) for w in model.get_weights()]
        self.epochs_run_ = fitted.epochs_run
        self.n_features_in_ = X.shape[1]
        del trainer, model
        keras.backend.clear_session(free_memory=False)
        return self

    def _forward(self, X: Any) -> np.ndarray:
        h = np.asarray(X, dtype=np.float32)
        pairs = list(zip(self.weights_[0::2], self.weights_[1::2]))
        for kernel, bias in pairs[:-1]:
            h = np.maximum(h @ kernel + bias, 0.0)
        kernel, bias = pairs[-1]
        return h @ kernel + bias

    def predict_proba(self, X: Any) -> np.ndarray:
        logits = self._forward(X)
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        if self.task == "classification":
            return self.classes_[np.argmax(self._forward(X), axis=1)]
        return self._forward(X)[:, 0].astype(np.float64) * self.y_std_ + self.y_mean_
