package org.camkit.method.agnostic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.camkit.testkit.MethodConformance;
import org.camkit.testkit.Npy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SobelTest {

    private static final Path REFERENCE = Path.of(System.getProperty("camkit.torchscript.fixtures",
            "../../fixtures/torchscript")).resolve("reference/targets");

    @Test
    void readsNeitherALayerNorTheModel() {
        assertTrue(new Sobel().requires().isEmpty());
    }

    @Test
    void aVerticalEdgeLightsTheTwoColumnsBesideIt() {
        // grey 0 | 200: d/dx = 4 * 200 = 800, saturated to 255; d/dy = 0; addWeighted: 127.5, rounded to even 128
        int[][] grey = {
            {0, 0, 0, 200, 200, 200},
            {0, 0, 0, 200, 200, 200},
            {0, 0, 0, 200, 200, 200},
        };
        float[] row = {0, 0, 128, 128, 0, 0};
        float[] map = sobel(grey);
        for (int y = 0; y < 3; y++) {
            assertArrayEquals(row, java.util.Arrays.copyOfRange(map, 6 * y, 6 * y + 6), "row " + y);
        }
    }

    @Test
    void aWeakHorizontalEdgeIsHalfItsUnsaturatedDerivative() {
        // grey 10 over 40: d/dy = 4 * 30 = 120 on the rows beside the edge, map 0.5 * 120 = 60
        int[][] grey = {{10, 10, 10}, {10, 10, 10}, {40, 40, 40}, {40, 40, 40}};
        assertArrayEquals(new float[] {0, 0, 0, 60, 60, 60, 60, 60, 60, 0, 0, 0}, sobel(grey));
    }

    @Test
    void theBorderIsReflectedWithoutRepeatingTheEdgePixel() {
        // one bright corner pixel: at (0, 1) BORDER_REFLECT_101 reads row 1 above row 0, so d/dx = 2 * (0 - 100)
        // and the map is 100; BORDER_REPLICATE would read row 0 again: d/dx = -300, map 128
        int[][] grey = {{100, 0, 0}, {0, 0, 0}, {0, 0, 0}};
        float[] map = sobel(grey);
        assertEquals(100, map[1]);
        assertEquals(100, map[3]); // (1, 0), the same by symmetry
        assertEquals(0, map[0]);
    }

    @Test
    void theGreyPictureUndoesTheModelsNormalisationAndChannelOrder() {
        // pure red and pure blue, as a BGR model with ImageNet statistics sees them: grey 76 and 29 (COLOR_RGB2GRAY)
        float[] mean = {0.406f, 0.456f, 0.485f};
        float[] std = {0.225f, 0.224f, 0.229f};
        ModelDescriptor bgr = new ModelDescriptor("bgr", "fake", Path.of("/fake"), "", 2, 1, mean, std, List.of(),
                "l", Map.of(), "BGR", null);
        int[][] rgb = {{255, 0, 0}, {0, 0, 255}}; // red, blue
        float[] input = new float[6];
        for (int p = 0; p < 2; p++) {
            for (int c = 0; c < 3; c++) {
                int channel = 2 - c; // BGR: channel 0 holds blue
                input[channel * 2 + p] = (rgb[p][c] / 255f - mean[channel]) / std[channel];
            }
        }
        assertArrayEquals(new int[] {76, 29}, Sobel.grey(Tensor.of(input, 1, 3, 1, 2), 0, bgr));
    }

    @Test
    void equalsPytorchGradCamsSobelCamOnTheReferencePictures() throws IOException {
        Tensor expected = Npy.read(REFERENCE.resolve("sobel_raw.npy"));
        int area = expected.dim(1) * expected.dim(2);
        for (int i = 0; i < expected.dim(0); i++) {
            BufferedImage png = ImageIO.read(REFERENCE.resolve("image" + i + ".png").toFile());
            float[] input = new float[3 * area];
            float[] mean = {0.485f, 0.456f, 0.406f};
            float[] std = {0.229f, 0.224f, 0.225f};
            for (int p = 0; p < area; p++) {
                int argb = png.getRGB(p % png.getWidth(), p / png.getWidth());
                for (int c = 0; c < 3; c++) {
                    input[c * area + p] = (((argb >> (16 - 8 * c)) & 0xff) / 255f - mean[c]) / std[c];
                }
            }
            ModelDescriptor resnet = new ModelDescriptor("resnet", "fake", Path.of("/fake"), "", png.getWidth(),
                    png.getHeight(), mean, std, List.of(), "layer3", Map.of());
            int[] grey = Sobel.grey(Tensor.of(input, 1, 3, png.getHeight(), png.getWidth()), 0, resnet);
            float[] map = sobel(grey, png.getWidth(), png.getHeight());
            for (int p = 0; p < area; p++) {
                assertEquals(expected.get(i * area + p), map[p], "image " + i + " pixel " + p);
            }
        }
    }

    /** @return Sobel's map of a grey picture given as equal R, G and B values (mean 0, std 1) */
    private static float[] sobel(int[][] grey) {
        int h = grey.length;
        int w = grey[0].length;
        int[] flat = new int[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(grey[y], 0, flat, y * w, w);
        }
        return sobel(flat, w, h);
    }

    private static float[] sobel(int[] grey, int w, int h) {
        float[] input = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < h * w; p++) {
                input[c * h * w + p] = grey[p] / 255f;
            }
        }
        FakeProbe probe = FakeProbe.builder().input(Tensor.of(input, 1, 3, h, w)).build();
        CamMaps maps = new Sobel().compute(new LayerData(null, null, null, new float[1], probe, Map.of()));
        assertEquals(CamMaps.Kind.MAP, maps.kind());
        assertArrayEquals(new int[] {1, 1, h, w}, maps.maps().shape());
        return maps.maps().toArray();
    }

    @Nested
    class SobelConformance extends MethodConformance {
        @Override
        protected CamMethod method() {
            return new Sobel();
        }
    }
}
