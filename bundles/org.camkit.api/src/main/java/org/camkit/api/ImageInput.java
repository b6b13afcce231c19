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

    /**
     * @param name  what messages and results call the image, e.g. {@code upload 1}
     * @param bytes the bytes of a PNG or JPEG file; decoded as a file would be (its header checked against the
     *              pixel limit first)
     * @return an input that decodes the bytes when the request runs
     * @since 0.7
     */
    static ImageInput of(String name, byte[] bytes) {
        return new Encoded(name, bytes);
    }

    /** @return a short name for messages and results: the file name, the encoded image's name, or {@code <pixels WxH>} */
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

    /**
     * The bytes of an image file held in memory (an upload).
     *
     * @param name  what messages and results call the image
     * @param bytes the file's bytes (not copied: do not change them while a request holds them)
     * @since 0.7
     */
    record Encoded(String name, byte[] bytes) implements ImageInput {
        /** Validates. */
        public Encoded {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public String label() {
            return name;
        }
    }
}
