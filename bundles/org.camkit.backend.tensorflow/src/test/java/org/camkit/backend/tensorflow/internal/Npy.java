package org.camkit.backend.tensorflow.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camkit.spi.Tensor;

// Test-only: reads a .npy file holding float32, little-endian, C order (numpy's default, the fixtures' format).
final class Npy {

    private Npy() {
    }

    static Tensor read(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        buffer.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not a .npy file");
        }
        int version = buffer.get();
        buffer.get();
        int length = version == 1 ? buffer.getShort() & 0xffff : buffer.getInt();
        byte[] headerBytes = new byte[length];
        buffer.get(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": expected little-endian float32 in C order, header " + header.trim());
        }
        int open = header.indexOf('(', header.indexOf("'shape'"));
        int close = header.indexOf(')', open);
        List<Integer> dims = new ArrayList<>();
        for (String part : header.substring(open + 1, close).split(",")) {
            if (!part.isBlank()) {
                dims.add(Integer.parseInt(part.trim()));
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        int size = dims.stream().reduce(1, (a, b) -> a * b);
        float[] data = new float[size];
        buffer.asFloatBuffer().get(data);
        return Tensor.copyOf(data, shape);
    }
}
