package org.camkit.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A decompression bomb's header: a valid PNG signature, an {@code IHDR} chunk claiming any size, and no pixel data, so
 * that a test can check an image is refused from its header before anything is decoded.
 */
public final class PngBomb {

    private PngBomb() {
    }

    /**
     * @param width     the width the header claims
     * @param height    the height the header claims
     * @param bitDepth  bits per sample, e.g. 8 (or 1 for a grey image of 1-bit pixels)
     * @param colorType 0 grey, 2 RGB, 6 RGBA
     * @return the PNG's bytes: signature, IHDR, IEND
     */
    public static byte[] header(int width, int height, int bitDepth, int colorType) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put(new byte[] {(byte) bitDepth, (byte) colorType, 0, 0, 0}).array());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        try {
            DataOutputStream d = new DataOutputStream(out);
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            d.writeInt(data.length);
            d.write(name);
            d.write(data);
            CRC32 crc = new CRC32();
            crc.update(name);
            crc.update(data);
            d.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
