package org.camkit.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.stream.ImageInputStream;
import org.camkit.api.RgbImage;

/**
 * A JPEG's EXIF orientation (tag 0x0112 of IFD0 in its APP1 segment): phones store pictures as the sensor saw them
 * and say how to turn them. Decoders that honour it (Pillow's {@code ImageOps.exif_transpose}, OpenCV's
 * {@code imread}) show the picture upright; so does camkit.
 */
final class Orientation {

    /** The first bytes of a file that are searched for the APP1 segment. */
    private static final int HEAD = 1 << 16;

    private Orientation() {
    }

    /**
     * @param jpeg a JPEG's stream at its start, where it is left
     * @return its orientation 1 to 8, 1 when it has none
     */
    static int of(ImageInputStream jpeg) throws IOException {
        byte[] head = new byte[HEAD];
        int read = 0;
        for (int n; read < head.length && (n = jpeg.read(head, read, head.length - read)) > 0; ) {
            read += n;
        }
        jpeg.seek(0);
        return of(Arrays.copyOf(head, read));
    }

    /** @return the orientation 1 to 8 found in a JPEG's first bytes, 1 when there is none */
    static int of(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            return 1;
        }
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xff) {
            int marker = jpeg[at + 1] & 0xff;
            int length = ((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff);
            if (marker == 0xda || length < 2) {
                return 1; // the image data starts: no EXIF before it
            }
            if (marker == 0xe1 && length >= 8 && at + 2 + length <= jpeg.length
                    && new String(jpeg, at + 4, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                return fromTiff(ByteBuffer.wrap(jpeg, at + 10, length - 8).slice());
            }
            at += 2 + length;
        }
        return 1;
    }

    /** @return the orientation in a TIFF header and its IFD0, 1 when absent or malformed */
    private static int fromTiff(ByteBuffer tiff) {
        if (tiff.remaining() < 8) {
            return 1;
        }
        tiff.order(tiff.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long ifd = tiff.getInt(4) & 0xffffffffL;
        if (ifd + 2 > tiff.limit()) {
            return 1;
        }
        int entries = tiff.getShort((int) ifd) & 0xffff;
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > tiff.limit()) {
                return 1;
            }
            if ((tiff.getShort(entry) & 0xffff) == 0x0112) {
                int value = tiff.getShort(entry + 8) & 0xffff;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /**
     * @param image       as decoded
     * @param orientation an EXIF orientation, 1 to 8
     * @return the image turned upright (orientations 5 to 8 swap width and height)
     */
    static RgbImage upright(RgbImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        // the source pixel of (x, y): 2 mirror, 3 turn 180, 4 flip, 5 transpose, 6 turn 90 clockwise, 7 transverse,
        // 8 turn 90 counter-clockwise
        boolean swap = orientation >= 5;
        boolean mirrorX = orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
        boolean mirrorY = orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;
        int outW = swap ? h : w;
        int outH = swap ? w : h;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int u = swap ? y : x;
                int v = swap ? x : y;
                int from = 3 * ((mirrorY ? h - 1 - v : v) * w + (mirrorX ? w - 1 - u : u));
                int to = 3 * (y * outW + x);
                out[to] = (byte) image.value(from);
                out[to + 1] = (byte) image.value(from + 1);
                out[to + 2] = (byte) image.value(from + 2);
            }
        }
        return new RgbImage(outW, outH, out);
    }
}
