package org.camkit.shell.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

// Writes float32 arrays in NumPy's .npy format, version 1.0, little-endian ('<f4'), C order.
final class NpyWriter {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int PREAMBLE = MAGIC.length + 2 + 2;
    private static final int ALIGNMENT = 64;

    private NpyWriter() {
    }

    /** Writes {@code data}, {@code product(shape)} values in row-major order, to {@code file}. */
    static void write(Path file, float[] data, int... shape) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, data, shape);
        }
    }

    static void write(OutputStream out, float[] data, int... shape) throws IOException {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values, got " + data.length);
        }
        out.write(header(shape));
        ByteBuffer buffer = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(data);
        out.write(buffer.array());
    }

    /**
     * The magic string, version 1.0, the header length (uint16, little-endian) and the header dict, padded with
     * spaces and ended by a newline so that the data starts at a multiple of 64 bytes.
     */
    static byte[] header(int... shape) {
        String dims = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': ("
                + dims + (shape.length == 1 ? ",)" : ")") + ", }";
        int unpadded = PREAMBLE + dict.length() + 1;
        int total = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        int headerLength = total - PREAMBLE;
        if (headerLength > 0xffff) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too long for .npy 1.0");
        }
        ByteBuffer header = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength);
        header.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (header.position() < total - 1) {
            header.put((byte) ' ');
        }
        header.put((byte) '\n');
        return header.array();
    }
}
