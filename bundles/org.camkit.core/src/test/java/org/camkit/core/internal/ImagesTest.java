package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

    @TempDir
    Path dir;

    private Path write(String format, String name) throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 30, 10));
        g.fillRect(0, 0, 64, 48);
        g.setColor(Color.GREEN);
        g.fillOval(10, 10, 30, 20);
        g.dispose();
        Path file = dir.resolve(name);
        ImageIO.write(image, format, file.toFile());
        return file;
    }

    @Test
    void decodesPngPixelsAsRgb() throws Exception {
        RgbImage image = Images.decode(ImageInput.of(write("png", "a.png")), Limits.DEFAULTS);
        assertEquals(64, image.width());
        assertEquals(48, image.height());
        byte[] rgb = image.rgb();
        assertEquals(200, rgb[0] & 0xff);
        assertEquals(30, rgb[1] & 0xff);
        assertEquals(10, rgb[2] & 0xff);
    }

    @Test
    void theBytesOfAFileDecodeAsTheFileDoesAndMessagesNameTheUpload() throws Exception {
        Path file = write("png", "c.png");
        RgbImage fromBytes = Images.decode(ImageInput.of("upload 0", Files.readAllBytes(file)), Limits.DEFAULTS);
        RgbImage fromFile = Images.decode(ImageInput.of(file), Limits.DEFAULTS);
        assertEquals(fromFile.width(), fromBytes.width());
        assertArrayEquals(fromFile.rgb(), fromBytes.rgb());

        CamException e = assertThrows(CamException.class, () -> Images.decode(ImageInput.of("upload 1",
                "not an image".getBytes(StandardCharsets.US_ASCII)), Limits.DEFAULTS));
        assertTrue(e.getMessage().startsWith("image 'upload 1' is in no format camkit reads"), e.getMessage());
    }

    @Test
    void missingFileNamesThePath() {
        CamException e = assertThrows(CamException.class,
                () -> Images.decode(ImageInput.of(dir.resolve("nope.png")), Limits.DEFAULTS));
        assertTrue(e.getMessage().contains("nope.png"), e.getMessage());
    }

    @Test
    void aLargePhotoIsDecodedSubsampledToTwiceTheModelSizeAndResizesToNearlyTheSamePixels() throws Exception {
        BufferedImage photo = new BufferedImage(2000, 1600, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1600; y++) {
            for (int x = 0; x < 2000; x++) {
                photo.setRGB(x, y, (x * 255 / 1999) << 16 | (y * 255 / 1599) << 8 | 90);
            }
        }
        Path file = dir.resolve("photo.png");
        ImageIO.write(photo, "png", file.toFile());
        assertEquals(3, Images.subsampling(2000, 1600, 224, 224));
        assertEquals(1, Images.subsampling(800, 600, 224, 224), "below four times: decoded in full");
        RgbImage subsampled = Images.decode(ImageInput.of(file), Limits.DEFAULTS, 224, 224);
        assertEquals(667, subsampled.width());
        assertEquals(534, subsampled.height());
        RgbImage full = Images.decode(ImageInput.of(file), Limits.DEFAULTS);
        assertEquals(2000, full.width());
        RgbImage a = Images.resize(subsampled, 224, 224);
        RgbImage b = Images.resize(full, 224, 224);
        double diff = 0;
        for (int i = 0; i < 224 * 224 * 3; i++) {
            diff += Math.abs(a.value(i) - b.value(i));
        }
        assertTrue(diff / (224 * 224 * 3) < 2, "mean difference " + diff / (224 * 224 * 3) + " grey levels");
    }

    @Test
    void anUnknownFormatIsNamedWithTheFormatsThatWork() throws Exception {
        Path webp = Files.write(dir.resolve("photo.webp"), new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B',
            'P', 'V', 'P', '8', ' '});
        CamException e = assertThrows(CamException.class, () -> Images.decode(ImageInput.of(webp), Limits.DEFAULTS));
        assertTrue(e.getMessage().startsWith("image '" + webp + "' is in no format camkit reads; it reads ")
                && e.getMessage().contains("jpeg") && e.getMessage().contains("png")
                && e.getMessage().contains("WebP is not among them"), e.getMessage());
    }

    @Test
    void corruptPngIsAnErrorNamingTheFile() throws Exception {
        Path file = write("png", "c.png");
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 40; i < bytes.length - 20; i++) {
            bytes[i] = (byte) (bytes[i] ^ 0x5a);
        }
        Files.write(file, bytes);
        CamException e = assertThrows(CamException.class, () -> Images.decode(ImageInput.of(file), Limits.DEFAULTS));
        assertTrue(e.getMessage().contains("c.png"), e.getMessage());
    }

    @Test
    void truncatedJpegIsAnErrorNotAPartialImage() throws Exception {
        Path file = write("jpg", "t.jpg");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        CamException e = assertThrows(CamException.class, () -> Images.decode(ImageInput.of(file), Limits.DEFAULTS));
        assertTrue(e.getMessage().contains("t.jpg"), e.getMessage());
    }

    @Test
    void textFileIsRejectedAsUnrecognisedFormat() throws Exception {
        Path file = Files.writeString(dir.resolve("x.png"), "not an image");
        CamException e = assertThrows(CamException.class, () -> Images.decode(ImageInput.of(file), Limits.DEFAULTS));
        assertTrue(e.getMessage().contains("x.png"), e.getMessage());
    }

    @Test
    void preprocessNormalisesPerChannelInNchwOrder() {
        RgbImage image = new RgbImage(1, 2, new byte[] {(byte) 255, 0, 51, 0, (byte) 255, 102});
        ModelDescriptor d = new ModelDescriptor("m", "b", Path.of("m"), "", 1, 2, new float[] {0.5f, 0.5f, 0f},
                new float[] {0.5f, 0.5f, 0.2f}, List.of(), "l", Map.of());
        Tensor t = Images.preprocess(List.of(image), d);
        assertArrayEquals(new int[] {1, 3, 2, 1}, t.shape());
        assertArrayEquals(new float[] {1, -1, -1, 1, 1, 2}, t.toArray(), 1e-6f);
    }

    @Test
    void aBgrModelGetsTheBlueChannelFirstWithItsOwnMeanAndStd() {
        RgbImage image = new RgbImage(1, 1, new byte[] {(byte) 255, 0, 51});
        // mean and std are listed in the model's channel order: B, G, R
        ModelDescriptor d = new ModelDescriptor("m", "b", Path.of("m"), "", 1, 1, new float[] {0f, 0.5f, 0.5f},
                new float[] {0.2f, 0.5f, 0.5f}, List.of(), "l", Map.of(), "BGR", null);
        assertArrayEquals(new float[] {1, -1, 1}, Images.preprocess(List.of(image), d).toArray(), 1e-6f);
    }

    @Test
    void resizeToTheSameSizeKeepsPixels() {
        RgbImage image = new RgbImage(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        assertEquals(image, Images.resize(image, 2, 1));
        RgbImage wide = Images.resize(new RgbImage(1, 1, new byte[] {9, 8, 7}), 3, 2);
        assertArrayEquals(new byte[] {9, 8, 7, 9, 8, 7, 9, 8, 7, 9, 8, 7, 9, 8, 7, 9, 8, 7}, wide.rgb());
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        // a PNG header claiming 20000x20000 1-bit grey pixels (400 megapixels) and no pixel data
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(20000).putInt(20000)
                .put(new byte[] {1, 0, 0, 0, 0});
        chunk(png, "IHDR", header.array());
        chunk(png, "IEND", new byte[0]);
        Path bomb = Files.write(dir.resolve("bomb.png"), png.toByteArray());

        CamException e = assertThrows(CamException.class, () -> Images.decode(ImageInput.of(bomb), Limits.DEFAULTS));
        assertEquals("image '" + bomb + "' is 20000x20000 = 400.0 megapixels, more than camkit's limit of 100.0 "
                + "megapixels per image file; it is not decoded (scale it down first, or raise the limit with "
                + "-Dcamkit.limits.imagePixels=<pixels>)", e.getMessage());
        Limits small = new Limits(4096, 1L << 22, 64 * 47, 1L << 22);
        CamException real = assertThrows(CamException.class,
                () -> Images.decode(ImageInput.of(write("png", "b.png")), small));
        assertTrue(real.getMessage().contains("is 64x48 = 0.0 megapixels"), real.getMessage());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
