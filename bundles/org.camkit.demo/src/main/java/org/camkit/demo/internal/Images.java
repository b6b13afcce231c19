package org.camkit.demo.internal;

import java.awt.image.BufferedImage;
import org.camkit.api.RgbImage;

/** Converts between camkit's {@link RgbImage} and java.awt pictures. */
public final class Images {

    private Images() {
    }

    /** @return the pixels of {@code image} as RGB bytes */
    public static RgbImage fromBuffered(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(w, h, rgb);
    }

    /** @return a new {@code TYPE_INT_RGB} picture holding {@code image}'s pixels */
    public static BufferedImage toBuffered(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] rgb = image.rgb();
        int[] argb = new int[w * h];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = ((rgb[3 * i] & 0xFF) << 16) | ((rgb[3 * i + 1] & 0xFF) << 8) | (rgb[3 * i + 2] & 0xFF);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        return out;
    }
}
