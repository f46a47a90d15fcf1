"""A lab spec becomes a Keras model, an optimizer and an augmentation: the only lab module that
imports TensorFlow (and only when called, in the worker process)."""

from __future__ import annotations

from typing import Any

from engine.core import tf_runtime
from engine.lab.spec import CLASSES, INPUT_SHAPE, LayerSpec, NetworkSpec

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def _initializer(layer: LayerSpec, seed: int) -> Any:
    keras = tf_runtime.keras()
    init = keras.initializers
    if layer.initializer == "random_normal":
        return init.RandomNormal(stddev=layer.init_scale, seed=seed)
    return {"glorot_uniform": init.GlorotUniform, "he_normal": init.HeNormal,
            "lecun_normal": init.LecunNormal}[layer.initializer](seed=seed)


def build_network(spec: NetworkSpec, seed: int = 0) -> Any:
    """Input 28×28 → the spec's layers, read top to bottom → Dense(10, softmax)."""
    keras = tf_runtime.keras()
    L = keras.layers
    layers: list[Any] = [keras.Input(INPUT_SHAPE)]
    spatial = False  # (28, 28) is an image without a channel axis until the first Conv2D/MaxPooling2D
    flat = False
    for i, layer in enumerate(spec.layers):
        regularizer = keras.regularizers.L2(layer.l2) if layer.l2 > 0 else None
        if layer.kind in ("Conv2D", "MaxPooling2D") and not spatial:
            layers.append(L.Reshape((*INPUT_SHAPE, 1)))
            spatial = True
        if layer.kind == "Dense" and not flat:
            layers.append(L.Flatten())
            flat = True
        if layer.kind == "Dense":
            layers.append(L.Dense(layer.units, activation=layer.activation,
                                  kernel_initializer=_initializer(layer, seed + i), kernel_regularizer=regularizer))
        elif layer.kind == "Conv2D":
            layers.append(L.Conv2D(layer.filters, layer.kernel_size, padding="same", activation=layer.activation,
                                   kernel_initializer=_initializer(layer, seed + i), kernel_regularizer=regularizer))
        elif layer.kind == "MaxPooling2D":
            layers.append(L.MaxPooling2D(layer.pool_size))
        elif layer.kind == "Dropout":
            layers.append(L.Dropout(layer.rate, seed=seed + i))
        elif layer.kind == "BatchNormalization":
            layers.append(L.BatchNormalization())
        elif layer.kind == "Flatten":
            layers.append(L.Flatten())
            flat = True
    if not flat:
        layers.append(L.Flatten())
    layers.append(L.Dense(CLASSES, activation="softmax", kernel_initializer=keras.initializers.GlorotUniform(seed)))
    return keras.Sequential(layers, name=spec.name)


def build_optimizer(name: str, learning_rate: float) -> Any:
    """SGD, SGD with momentum 0.9, RMSprop or Adam (clipping is the training loop's, not theirs)."""
    keras = tf_runtime.keras()
    opt = keras.optimizers
    if name == "sgd":
        return opt.SGD(learning_rate)
    if name == "momentum":
        return opt.SGD(learning_rate, momentum=0.9)
    if name == "rmsprop":
        return opt.RMSprop(learning_rate)
    return opt.Adam(learning_rate)


def build_augmenter(seed: int) -> Any:
    """Small shifts and rotations of each training batch (TensorFlow ops, run inside the compiled call)."""
    keras = tf_runtime.keras()
    tf = tf_runtime.tf()
    geometric = keras.Sequential([
        keras.layers.RandomRotation(0.05, fill_mode="constant", seed=seed),
        keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=seed + 1),
    ])

    def augment(x):
        return tf.squeeze(geometric(tf.expand_dims(x, -1), training=True), -1)

    return augment
