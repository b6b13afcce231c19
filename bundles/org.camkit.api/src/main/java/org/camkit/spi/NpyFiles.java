package org.camkit.spi;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads NumPy {@code .npy} files of the form {@code np.save} writes for a {@code float32} array: little-endian
 * {@code <f4}, C order, format version 1, 2 or 3; and writes them as {@code np.save} does (version 1.0). The one
 * reader and writer of such files in camkit: targets that take a vector from a file (a concept embedding), the
 * testkit's reference values, the shell's and the REST API's maps use it.
 *
 * <p>The header is parsed strictly: exactly the keys {@code descr}, {@code fortran_order} and {@code shape}, in any
 * order, each once, and nothing else; every dimension positive. The size the header announces is checked against a
 * limit and against the file's length before any data is read, so a forged header cannot make the reader allocate
 * more than the limit, and a file with missing or extra bytes is refused.
 *
 * @since 1.3
 */
public final class NpyFiles {

    /** The limit of {@link #read(Path)}: 2^26 values (256 MiB of float32). */
    public static final long DEFAULT_MAX_VALUES = 1L << 26;

    /** The most values one Java array of float32 bytes can hold. */
    private static final long MAX_VALUES = Integer.MAX_VALUE / 4;
    private static final int PREAMBLE = 6 + 2 + 2;
    private static final int ALIGNMENT = 64;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The longest header read: numpy writes a few hundred bytes; version 1 allows 65535. */
    private static final int MAX_HEADER = 1 << 16;
    private static final Pattern ENTRY = Pattern.compile(
            "\\G\\s*'([^']*)'\\s*:\\s*('[^']*'|True|False|\\([^()]*\\))\\s*(?:,|(?=\\s*$))");
    private static final Pattern DIMENSION = Pattern.compile("\\s*(\\d{1,10})\\s*");
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    private NpyFiles() {
    }

    /**
     * Reads an array of at most {@link #DEFAULT_MAX_VALUES} values.
     *
     * @param file a {@code .npy} file
     * @return its array, shaped as its header says
     * @throws UncheckedIOException     if the file cannot be read (the message names it)
     * @throws IllegalArgumentException if it is not a {@code .npy} file of little-endian float32 in C order, its
     *                                  header is malformed, it holds more values than the limit, or its length
     *                                  differs from what its header announces (the message names the file, its
     *                                  header and how to write a readable one)
     */
    public static Tensor read(Path file) {
        return read(file, DEFAULT_MAX_VALUES);
    }

    /**
     * @param file      a {@code .npy} file
     * @param maxValues the most values the array may hold, 1 to {@code (2^31 - 1) / 4}
     * @return its array, shaped as its header says
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException as {@link #read(Path)}, with this limit
     */
    public static Tensor read(Path file, long maxValues) {
        if (maxValues <= 0 || maxValues > MAX_VALUES) {
            throw new IllegalArgumentException("maxValues must be 1 to " + MAX_VALUES + ", got " + maxValues);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer preamble = readFully(channel, MAGIC.length + 2, file);
            byte[] magic = new byte[MAGIC.length];
            preamble.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + " is not a .npy file (it does not start with \\x93NUMPY)");
            }
            int major = preamble.get();
            long headerLength;
            if (major == 1) {
                headerLength = Short.toUnsignedInt(readFully(channel, 2, file).getShort());
            } else if (major == 2 || major == 3) {
                headerLength = Integer.toUnsignedLong(readFully(channel, 4, file).getInt());
            } else {
                throw new IllegalArgumentException(file + ": .npy format version " + major + " is not read (1, 2 or"
                        + " 3 are)");
            }
            if (headerLength > MAX_HEADER) {
                throw new IllegalArgumentException(file + ": a .npy header of " + headerLength + " bytes; at most "
                        + MAX_HEADER + " are read");
            }
            ByteBuffer headerBytes = readFully(channel, (int) headerLength, file);
            String header = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).decode(headerBytes)
                    .toString().strip();
            int[] shape = shape(file, header);
            long size = 1;
            for (int d : shape) {
                size = Math.multiplyExact(size, d);
            }
            if (size > maxValues) {
                throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " holds " + size
                        + " values; at most " + maxValues + " are read");
            }
            long data = channel.size() - channel.position();
            if (data != 4 * size) {
                throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " needs " + 4 * size
                        + " bytes of data, the file has " + data + " after its header");
            }
            float[] values = new float[(int) size];
            readFully(channel, (int) data, file).asFloatBuffer().get(values);
            return Tensor.of(values, shape);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the shape of a header that declares little-endian float32 in C order */
    private static int[] shape(Path file, String header) {
        String fix = "; write it with np.save(file, np.ascontiguousarray(a, dtype='<f4'))";
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw new IllegalArgumentException(file + ": the .npy header is not a dictionary: " + header);
        }
        String body = header.substring(1, header.length() - 1);
        Map<String, String> entries = new HashMap<>();
        Matcher m = ENTRY.matcher(body);
        int end = 0;
        while (end < body.length() && m.find() && m.start() == end) {
            if (!KEYS.contains(m.group(1)) || entries.put(m.group(1), m.group(2)) != null) {
                throw new IllegalArgumentException(file + ": unexpected or repeated key '" + m.group(1)
                        + "' in the .npy header " + header);
            }
            end = m.end();
        }
        if (!body.substring(end).isBlank() || !entries.keySet().equals(KEYS)) {
            throw new IllegalArgumentException(file + ": malformed .npy header " + header
                    + " (it needs 'descr', 'fortran_order' and 'shape')");
        }
        if (!entries.get("descr").equals("'<f4'")) {
            throw new IllegalArgumentException(file + ": holds " + entries.get("descr") + ", only little-endian "
                    + "float32 ('<f4') is read" + fix);
        }
        if (!entries.get("fortran_order").equals("False")) {
            throw new IllegalArgumentException(file + ": in Fortran order, only C order is read" + fix);
        }
        String tuple = entries.get("shape");
        String inner = tuple.substring(1, tuple.length() - 1).strip();
        if (inner.endsWith(",")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        String[] parts = inner.isBlank() ? new String[0] : inner.split(",", -1);
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Matcher d = DIMENSION.matcher(parts[i]);
            long value = d.matches() ? Long.parseLong(d.group(1)) : -1;
            if (value <= 0 || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": shape " + tuple + " needs positive integer dimensions");
            }
            shape[i] = (int) value;
        }
        return shape;
    }

    private static ByteBuffer readFully(FileChannel channel, int length, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IllegalArgumentException(file + " is not a .npy file: it ends after "
                        + channel.position() + " bytes, inside its header or data",
                        new EOFException(file.toString()));
            }
        }
        return buffer.flip();
    }

    /**
     * Writes {@code data}, {@code product(shape)} float32 values in row-major order, as {@code np.save} writes them:
     * format version 1.0, little-endian {@code <f4}, C order, the data starting at a multiple of 64 bytes.
     *
     * @param out   where to write
     * @param data  the values
     * @param shape the array's shape
     * @throws IOException              if writing fails
     * @throws IllegalArgumentException if the shape does not hold exactly the values
     * @since 1.5
     */
    public static void write(OutputStream out, float[] data, int... shape) throws IOException {
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
     * @param data  the values
     * @param shape the array's shape
     * @return the bytes of the {@code .npy} file {@link #write} writes
     * @throws IllegalArgumentException if the shape does not hold exactly the values
     * @since 1.6
     */
    public static byte[] bytes(float[] data, int... shape) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * Float.BYTES + 128);
        try {
            write(out, data, shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
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
