package org.camkit.backend.djl.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camkit.spi.Tensor;

// Test-only reader of .npy files as numpy writes them by default: float32, little-endian, C order.
final class Npy {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    static Tensor read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        bytes.get(magic);
        if (!new String(magic, StandardCharsets.ISO_8859_1).equals("\u0093NUMPY")) {
            throw new IOException(file + " is not a .npy file");
        }
        int major = bytes.get();
        bytes.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
        byte[] header = new byte[headerLength];
        bytes.get(header);
        String text = new String(header, StandardCharsets.ISO_8859_1);
        if (!text.contains("'descr': '<f4'") || !text.contains("'fortran_order': False")) {
            throw new IOException(file + ": only little-endian float32 in C order is read, header " + text.strip());
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.find()) {
            throw new IOException(file + ": no shape in header " + text.strip());
        }
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        float[] data = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        bytes.asFloatBuffer().get(data);
        return Tensor.copyOf(data, shape);
    }
}
