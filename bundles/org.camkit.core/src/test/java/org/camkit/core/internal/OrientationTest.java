package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrientationTest {

    /** A 3 x 2 image whose pixel (x, y) holds red = 10 x + y. */
    private static final RgbImage IMAGE = image(3, 2);

    private static RgbImage image(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[3 * (y * w + x)] = (byte) (10 * x + y);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static int[] reds(RgbImage image) {
        int[] out = new int[image.width() * image.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = image.value(3 * i);
        }
        return out;
    }

    @Test
    void eachOrientationTurnsThePictureAsPillowsExifTransposeDoes() {
        // rows of red values after the transpose PIL applies for each orientation (image rows: 0 10 20 / 1 11 21)
        assertArrayEquals(new int[] {0, 10, 20, 1, 11, 21}, reds(Orientation.upright(IMAGE, 1)));
        assertArrayEquals(new int[] {20, 10, 0, 21, 11, 1}, reds(Orientation.upright(IMAGE, 2)));
        assertArrayEquals(new int[] {21, 11, 1, 20, 10, 0}, reds(Orientation.upright(IMAGE, 3)));
        assertArrayEquals(new int[] {1, 11, 21, 0, 10, 20}, reds(Orientation.upright(IMAGE, 4)));
        assertArrayEquals(new int[] {0, 1, 10, 11, 20, 21}, reds(Orientation.upright(IMAGE, 5)));
        assertArrayEquals(new int[] {1, 0, 11, 10, 21, 20}, reds(Orientation.upright(IMAGE, 6)));
        assertArrayEquals(new int[] {21, 20, 11, 10, 1, 0}, reds(Orientation.upright(IMAGE, 7)));
        assertArrayEquals(new int[] {20, 21, 10, 11, 0, 1}, reds(Orientation.upright(IMAGE, 8)));
        assertEquals(2, Orientation.upright(IMAGE, 6).width(), "turned a quarter: width and height swap");
    }

    @Test
    void aJpegTaggedToTurnClockwiseDecodesUpright(@TempDir Path dir) throws Exception {
        BufferedImage wide = new BufferedImage(48, 16, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 48; x++) {
            for (int y = 0; y < 16; y++) {
                wide.setRGB(x, y, x < 16 ? 0xff0000 : 0x0000ff);
            }
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(wide, "jpg", plain);
        byte[] jpeg = plain.toByteArray();
        Path untagged = Files.write(dir.resolve("plain.jpg"), jpeg);
        Path tagged = Files.write(dir.resolve("phone.jpg"), withOrientation(jpeg, 6));
        assertEquals(6, Orientation.of(Files.readAllBytes(tagged)));
        assertEquals(1, Orientation.of(Files.readAllBytes(untagged)));

        RgbImage upright = Images.decode(ImageInput.of(tagged), Limits.DEFAULTS);
        assertEquals(16, upright.width());
        assertEquals(48, upright.height());
        assertArrayEquals(reds(Orientation.upright(Images.decode(ImageInput.of(untagged), Limits.DEFAULTS), 6)),
                reds(upright));
        assertTrue(upright.value(0) > 240 && upright.value(2) < 16, "the red left end is on top once turned clockwise");
    }

    /** The JPEG with an APP1 EXIF segment (big-endian TIFF, IFD0 holding only the orientation) after its SOI. */
    private static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.BIG_ENDIAN);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1)
                .putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + exif.length + tiff.capacity();
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2).put((byte) 0xff).put((byte) 0xe1).putShort((short) length).put(exif).put(tiff.array())
                .put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }
}
