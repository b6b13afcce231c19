package org.camkit.testkit;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.camkit.spi.NpyFiles;
import org.camkit.spi.Tensor;

/**
 * Reads NumPy {@code .npy} files as numpy writes float arrays by default ({@code np.save} of a {@code float32}
 * array): little-endian {@code <f4}, C order, format version 1, 2 or 3. Reference values that Python tools write
 * (pytorch-grad-cam, Captum, a framework's own forward pass) come in this form. Reads with the SPI's
 * {@link NpyFiles}, the one reader camkit has.
 *
 * @since 1.0
 */
public final class Npy {

    private Npy() {
    }

    /**
     * @param file a {@code .npy} file
     * @return its array, shaped as its header says
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it is not a {@code .npy} file, holds another type or order than
     *                                  little-endian float32 in C order, or its length differs from its shape's (the
     *                                  message names the file and its header); see {@link NpyFiles#read(Path)}
     */
    public static Tensor read(Path file) {
        return NpyFiles.read(file);
    }
}
