package org.camkit.api;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB image, row-major, three bytes per pixel (R, G, B). Immutable: constructor and accessor copy.
 *
 * @param width  width in pixels, positive
 * @param height height in pixels, positive
 * @param rgb    {@code width * height * 3} bytes
 * @since 0.1
 */
public record RgbImage(int width, int height, byte[] rgb) {

    /** Validates and copies. */
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs "
                    + (width * height * 3) + " bytes, got " + rgb.length);
        }
        rgb = rgb.clone();
    }

    /** @return a copy of the pixels */
    @Override
    public byte[] rgb() {
        return rgb.clone();
    }

    /**
     * Reads one byte without copying the pixels.
     *
     * @param index a position in {@link #rgb()}: {@code 3 * (y * width + x) + channel}
     * @return its value, 0 to 255
     * @since 0.3
     */
    public int value(int index) {
        return rgb[index] & 0xff;
    }

    /**
     * Encodes the image as PNG (8-bit RGB, lossless): camkit's one PNG encoder, for every picture it writes.
     *
     * @return the bytes of a PNG file that decodes to this image
     * @throws CamException if this Java runtime has no PNG writer (javax.imageio)
     * @since 0.3
     */
    public byte[] png() {
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) picture.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(picture, "png", out)) {
                throw new CamException("no PNG writer in this Java runtime (javax.imageio) to encode " + this);
            }
        } catch (IOException e) {
            throw new CamException("encoding " + this + " as PNG failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage i && width == i.width && height == i.height && Arrays.equals(rgb, i.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
