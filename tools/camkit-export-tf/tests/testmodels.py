"""Small seeded Keras models for the camkit_export_tf tests (factories for --factory testmodels:<name>)."""

import camkit_export_tf  # noqa: F401  (sets TF's log level before TensorFlow is imported)
import keras

layers = keras.layers
SIZE = 16
CLASSES = 3


def small_cnn():
    """conv - batch norm - ReLU - max pool - conv - ReLU - global average pool - dropout - dense (3 classes)."""
    keras.utils.set_random_seed(11)
    image = keras.Input((SIZE, SIZE, 3), name="image")
    x = layers.Conv2D(6, 3, padding="same", name="conv1")(image)
    x = layers.BatchNormalization(name="bn1")(x)
    x = layers.ReLU(name="relu1")(x)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(8, 3, padding="same", name="conv2")(x)
    x = layers.ReLU(name="relu2")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dropout(0.5, name="dropout")(x)
    model = keras.Model(image, layers.Dense(CLASSES, name="fc")(x), name="small_cnn")
    # non-trivial batch norm statistics, so that inference mode (moving mean/variance) differs from training mode
    bn = model.get_layer("bn1")
    bn.moving_mean.assign(keras.random.normal((6,), seed=1) * 0.3)
    bn.moving_variance.assign(keras.random.uniform((6,), 0.5, 2.0, seed=2))
    return model


def residual_cnn():
    """A residual block: relu_a feeds both conv_b and the add after it (a skip connection around conv_b)."""
    keras.utils.set_random_seed(12)
    image = keras.Input((SIZE, SIZE, 3), name="image")
    a = layers.ReLU(name="relu_a")(layers.Conv2D(4, 3, padding="same", name="conv_a")(image))
    b = layers.Conv2D(4, 3, padding="same", name="conv_b")(a)
    x = layers.ReLU(name="block_out")(layers.Add(name="add")([b, a]))
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(image, layers.Dense(CLASSES, name="fc")(x), name="residual_cnn")


def small_detector(classes=2):
    """Detector-shaped rows: conv (stride 2) - ReLU - 1x1 conv to 4 + 1 + classes values per cell, reshaped to
    [N, 64, 5 + classes] (row = y * 8 + x; the box decoding, sigmoid and softmax are left out: the export checks
    only the shape)."""
    keras.utils.set_random_seed(13)
    image = keras.Input((SIZE, SIZE, 3), name="image")
    x = layers.Conv2D(6, 3, strides=2, padding="same", name="conv1")(image)
    x = layers.ReLU(name="relu1")(x)
    x = layers.Conv2D(5 + classes, 1, name="head")(x)
    cells = (SIZE // 2) ** 2
    return keras.Model(image, layers.Reshape((cells, 5 + classes), name="rows")(x), name="small_detector")
