package org.camkit.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RgbImageTest {

    @Test
    void pngDecodesToTheSamePixelsInTheSameChannelOrder() throws Exception {
        byte[] rgb = new byte[5 * 3 * 3];
        new Random(3).nextBytes(rgb);
        RgbImage image = new RgbImage(5, 3, rgb);

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.png()));

        assertEquals(5, decoded.getWidth());
        assertEquals(3, decoded.getHeight());
        byte[] back = new byte[rgb.length];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int argb = decoded.getRGB(x, y);
                int i = 3 * (y * 5 + x);
                back[i] = (byte) (argb >> 16);
                back[i + 1] = (byte) (argb >> 8);
                back[i + 2] = (byte) argb;
            }
        }
        assertArrayEquals(rgb, back);
    }
}
