package org.camkit.convert;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/*
 * Reads the stream DJL's Block.saveParameters writes, without DJL: per block a version byte and its metadata (the
 * input shapes it was initialised with, plus block-specific fields), then its parameters ('P', a version byte, the
 * name, the array in NDArray.encode form) and then its children, depth first. The caller walks the structure it
 * expects; every mismatch is an IOException naming what was expected.
 */
final class DjlParameters {

    /** A parameter's values, row-major, with its shape. */
    record Parameter(String name, long[] shape, float[] values) {
        int dim(int axis) {
            return Math.toIntExact(shape[axis]);
        }
    }

    private static final int PARAMETER_VERSION = 1;
    private static final String ARRAY_MAGIC = "NDAR";

    private final DataInputStream in;
    private String block = "the stream";

    DjlParameters(DataInputStream in) {
        this.in = in;
    }

    /** A SequentialBlock's header: version 2 (input shapes) or 3 (input shapes, then "return intermediate"). */
    void sequential() throws IOException {
        int version = version("a sequential block", 2, 3);
        inputShapes();
        if (version == 3) {
            in.readBoolean();
        }
    }

    /** The header of a block whose metadata is only its input shapes (convolutions, lambda blocks). */
    void plainBlock(String what, int... versions) throws IOException {
        version(what, versions);
        inputShapes();
    }

    /** A Linear block's header (version 4): units, input features, input shape. */
    long linear(String what) throws IOException {
        version(what, 4);
        long units = in.readLong();
        in.readLong();
        shape();
        return units;
    }

    /** The next parameter of the current block, which must be named {@code name} and hold 32-bit floats. */
    Parameter parameter(String name) throws IOException {
        char magic = in.readChar();
        if (magic == 'N') {
            throw new IOException(block + ": parameter '" + name + "' was saved uninitialised");
        }
        if (magic != 'P') {
            throw new IOException(block + ": expected parameter '" + name + "', found no parameter record");
        }
        int version = in.readByte();
        if (version != PARAMETER_VERSION) {
            throw new IOException(block + ": parameter '" + name + "' has encoding version " + version
                    + ", expected " + PARAMETER_VERSION);
        }
        String found = in.readUTF();
        if (!found.equals(name)) {
            throw new IOException(block + ": expected parameter '" + name + "', found '" + found + "'");
        }
        long[] shape = arrayHeader(name);
        return new Parameter(name, shape, floats(name, shape));
    }

    /** Fails unless the stream ends here. */
    void end() throws IOException {
        if (in.read() != -1) {
            throw new IOException("it holds more data after the last parameter: it was written for another "
                    + "architecture");
        }
    }

    /** NDArray.encode's header up to the data: magic, version, name, sparse format, data type, shape. */
    private long[] arrayHeader(String name) throws IOException {
        if (!ARRAY_MAGIC.equals(in.readUTF())) {
            throw new IOException(block + ": parameter '" + name + "' is not an encoded NDArray");
        }
        int version = in.readInt();
        if (version != 3) {
            throw new IOException(block + ": parameter '" + name + "' has NDArray encoding version " + version
                    + "; version 3 (DJL 0.14 and later) is supported");
        }
        if (in.readByte() == 1) {
            in.readUTF(); // the array's own name
        }
        in.readUTF(); // sparse format
        String type = in.readUTF();
        if (!"FLOAT32".equals(type)) {
            throw new IOException(block + ": parameter '" + name + "' holds " + type + ", expected FLOAT32");
        }
        return shape();
    }

    /** NDArray.encode's data (encoding version 3): byte order flag, byte count, bytes. */
    private float[] floats(String name, long[] shape) throws IOException {
        ByteOrder order = in.readByte() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int length = in.readInt();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (length != count * Float.BYTES) {
            throw new IOException(block + ": parameter '" + name + "' has " + length + " bytes for shape "
                    + Arrays.toString(shape));
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        float[] values = new float[(int) count];
        ByteBuffer.wrap(bytes).order(order).asFloatBuffer().get(values);
        return values;
    }

    private int version(String what, int... accepted) throws IOException {
        block = what;
        int version = in.readByte();
        if (Arrays.stream(accepted).noneMatch(v -> v == version)) {
            throw new IOException(what + ": block version " + version + ", expected one of "
                    + Arrays.toString(accepted) + " (is it another architecture?)");
        }
        return version;
    }

    private void inputShapes() throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 16) {
            throw new IOException(block + ": implausible input shape count " + count);
        }
        for (int i = 0; i < count; i++) {
            shape();
        }
    }

    private long[] shape() throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > 8) {
            throw new IOException(block + ": implausible rank " + rank);
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
        }
        int layout = in.readInt();
        if (layout < 0 || layout > 8) {
            throw new IOException(block + ": implausible layout length " + layout);
        }
        for (int i = 0; i < layout; i++) {
            in.readChar();
        }
        return shape;
    }
}
