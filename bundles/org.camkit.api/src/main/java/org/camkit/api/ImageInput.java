package org.camkit.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image to explain: a PNG/JPEG file or pixels already in memory.
 *
 * @since 0.1
 */
public sealed interface ImageInput {

    /**
     * @param file a PNG or JPEG file
     * @return an input that reads the file when the request runs
     */
    static ImageInput of(Path file) {
        return new File(file);
    }

    /**
     * @param image pixels
     * @return an input holding the pixels
     */
    static ImageInput of(RgbImage image) {
        return new Pixels(image);
    }

    /** @return a short name for messages and results: the file name, or {@code <pixels WxH>} */
    String label();

    /**
     * An image file.
     *
     * @param path the file
     * @since 0.1
     */
    record File(Path path) implements ImageInput {
        /** Validates. */
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String label() {
            return path.toString();
        }
    }

    /**
     * Pixels in memory.
     *
     * @param image the pixels
     * @since 0.1
     */
    record Pixels(RgbImage image) implements ImageInput {
        /** Validates. */
        public Pixels {
            Objects.requireNonNull(image, "image");
        }

        @Override
        public String label() {
            return "<pixels " + image.width() + "x" + image.height() + ">";
        }
    }
}
