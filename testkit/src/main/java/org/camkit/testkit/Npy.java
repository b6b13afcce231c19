package org.camkit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camkit.spi.Tensor;

/**
 * Reads NumPy {@code .npy} files as numpy writes float arrays by default ({@code np.save} of a {@code float32}
 * array): little-endian {@code <f4}, C order, format version 1, 2 or 3. Reference values that Python tools write
 * (pytorch-grad-cam, Captum, a framework's own forward pass) come in this form.
 *
 * @since 1.0
 */
public final class Npy {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * @param file a {@code .npy} file
     * @return its array, shaped as its header says
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it is not a {@code .npy} file, holds another type or order than
     *                                  little-endian float32 in C order, or is shorter than its shape (the message
     *                                  names the file and its header)
     */
    public static Tensor read(Path file) {
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        byte[] magic = new byte[6];
        if (bytes.remaining() < 10) {
            throw new IllegalArgumentException(file + " is not a .npy file: " + bytes.remaining() + " bytes");
        }
        bytes.get(magic);
        if (!new String(magic, StandardCharsets.ISO_8859_1).equals("\u0093NUMPY")) {
            throw new IllegalArgumentException(file + " is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes.get();
        bytes.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
        byte[] header = new byte[headerLength];
        bytes.get(header);
        String text = new String(header, StandardCharsets.ISO_8859_1).strip();
        if (!text.contains("'descr': '<f4'") || !text.contains("'fortran_order': False")) {
            throw new IllegalArgumentException(file + ": only little-endian float32 in C order is read (np.save of "
                    + "a float32 array), header " + text);
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": no shape in header " + text);
        }
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (bytes.remaining() < 4L * size) {
            throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " needs " + 4L * size
                    + " bytes of data, the file has " + bytes.remaining());
        }
        float[] data = new float[size];
        bytes.asFloatBuffer().get(data);
        return Tensor.of(data, shape);
    }
}
