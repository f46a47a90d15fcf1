"""The one Keras training loop on tiny real networks: a NaN loss ends a run cleanly with one line,
progress comes between compiled chunks (counted in batches), early stopping restores the best
epoch, the diagnostics measure every layer, and the spec's sizes are what Keras builds."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from engine.core.tasks import run_task
from engine.lab.spec import LayerSpec, default_cnn, make_network, mlp


@pytest.fixture(scope="module")
def digits():
    from engine.lab.recipe import lab_data

    return lab_data(200, "offline")


def trainer_for(spec, loss="sparse_ce", lr=1e-3, **kwargs):
    from engine.core import tf_runtime
    from engine.core.keras_fit import ChunkTrainer
    from engine.lab.build import build_network

    keras = tf_runtime.keras()
    keras.utils.set_random_seed(0)
    return ChunkTrainer(build_network(spec), keras.optimizers.Adam(lr), loss, (28, 28), **kwargs)


def test_a_nan_loss_ends_the_run_at_that_batch_with_one_line(digits) -> None:
    from engine.core.keras_fit import FitConfig, fit_task

    trainer = trainer_for(mlp([16], "sigmoid"), track_gradients=True)
    x = digits.x_train.copy()
    x[:] = np.nan  # sigmoid passes NaN on (ReLU would turn it into 0): the first batch's loss is NaN
    seen = []
    result = run_task(fit_task(trainer, x, digits.y_train, FitConfig(epochs=3, batch_size=32)), seen.append)
    assert result.diverged and result.diverged_batch == 1
    assert result.reason.startswith("The loss exploded (became NaN) at batch 1") and "\n" not in result.reason
    assert "no clipping" in result.reason
    assert result.history == [] and result.batches_run == 1, "stopped at once, no epoch finished"
    assert seen[-1].stage == "diverged" and seen[-1].data["batch"] == 1


def test_progress_comes_between_chunks_and_counts_every_batch(digits) -> None:
    from engine.core.keras_fit import MAX_STEPS_PER_CALL, FitConfig, fit_task

    trainer = trainer_for(mlp([16]))
    reports = []
    result = run_task(fit_task(trainer, digits.x_train, digits.y_train, FitConfig(epochs=4, batch_size=8)),
                      lambda p: reports.append(p) if p.stage == "batch" else None)
    done = [p.data["batches_done"] for p in reports]
    assert done[-1] == result.batches_run == 4 * 25
    steps = np.diff([0, *done])
    assert (steps >= 1).all() and (steps <= MAX_STEPS_PER_CALL).all()
    assert done[0] == 1, "the first call (which traces) trains one batch only, so the first report comes soon"
    assert all(p.data["loss"] >= 0 and p.data["samples_per_second"] > 0 for p in reports)
    assert [h["epoch"] for h in result.history] == [1, 2, 3, 4]


def test_closing_the_loop_stops_it_at_the_next_chunk(digits) -> None:
    from engine.core.keras_fit import FitConfig, fit_task

    trainer = trainer_for(mlp([16]))
    task = fit_task(trainer, digits.x_train, digits.y_train, FitConfig(epochs=50, batch_size=8))
    first = next(p for p in task if p.stage == "batch")
    task.close()
    assert inspect.getgeneratorstate(task) == inspect.GEN_CLOSED
    assert first.data["batches_done"] == 1


def test_early_stopping_restores_the_best_epoch(digits) -> None:
    from engine.core.keras_fit import FitConfig, fit_task

    trainer = trainer_for(mlp([64]), lr=1e-2)
    wrong = np.random.default_rng(0).permutation(digits.y_val)  # labels unrelated to the images: the
    result = run_task(fit_task(trainer, digits.x_train, digits.y_train,  # validation loss rises as it fits
                               FitConfig(epochs=30, batch_size=16, early_stopping_patience=2),
                               x_val=digits.x_val, y_val=wrong))
    assert result.stopped_early and result.epochs_run < 30
    assert result.best_epoch == result.epochs_run - 2
    best = result.history[result.best_epoch - 1]["val_loss"]
    probs = trainer.predict(digits.x_val)
    restored = float(-np.mean(np.log(np.clip(probs[np.arange(len(wrong)), wrong], 1e-7, 1))))
    assert restored == pytest.approx(best, rel=1e-3), "the weights are the best epoch's, not the last"


def test_diagnostics_measure_every_weighted_layer(digits) -> None:
    from engine.core.keras_fit import FitConfig, fit_task

    spec = make_network([LayerSpec("Conv2D", filters=4), LayerSpec("MaxPooling2D"), LayerSpec("Dense", units=8)])
    trainer = trainer_for(spec, track_gradients=True, clipnorm=1.0)
    result = run_task(fit_task(trainer, digits.x_train, digits.y_train,
                               FitConfig(epochs=1, batch_size=32, diagnostics=True, clipnorm=1.0),
                               x_val=digits.x_val, y_val=digits.y_val))
    assert len(result.layer_names) == 3 and all(len(g["norms"]) == 3 for g in result.gradient_norms)
    [diag] = result.epoch_diagnostics
    assert [d["layer"] for d in diag["layers"]] == result.layer_names
    for layer in diag["layers"]:
        assert sum(layer["weights"]["counts"]) > 0 and len(layer["activations"]["edges"]) == 25
    assert 0.0 <= diag["dead_relu_share"] <= 1.0


@pytest.mark.parametrize("spec", [default_cnn(), mlp([32, 16], "tanh", batch_norm=True, dropout=0.2)],
                         ids=["cnn", "bn_mlp"])
def test_the_spec_counts_the_parameters_keras_builds(spec) -> None:
    from engine.lab.build import build_network

    assert build_network(spec).count_params() == spec.params
