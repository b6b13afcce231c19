package org.camkit.target.segmentation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentationTargetTest {

    static final ModelDescriptor MODEL = new ModelDescriptor("fcn", "pytorch", Path.of("fcn.pt"), "", 3, 2,
            new float[3], new float[] {1, 1, 1}, List.of("background", "car"), "decoder", Map.of());
    /** Two classes of 3x2 maps: class 0 scores 1..6, class 1 scores 10..60, row-major. */
    static final float[] OUTPUT = {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60};
    static final int[] SHAPE = {2, 2, 3};
    private static final int WHITE = 0xFFFFFF;

    @TempDir
    Path dir;

    private final SegmentationTarget target = new SegmentationTarget();

    private TargetScore resolve(String argument) {
        return target.resolve(new TargetRequest(argument, OUTPUT, MODEL, null, SHAPE));
    }

    @Test
    void sumsTheClassScoresInsideAPngMaskWithTheMaskAsSeedInThatChannel() throws IOException {
        Path mask = Masks.rgb(dir.resolve("mask.png"), 3, 2, WHITE, 0, 0, 0, 0, WHITE); // pixels (0,0) and (2,1)
        TargetScore score = resolve("car:" + mask);
        assertEquals(10 + 60, score.score());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, score.seed());
        assertEquals(1, score.classIndex());
        assertTrue(score.description().startsWith("class 1 (car), mask "), score.description());
    }

    @Test
    void theSameMaskOnClassZeroSeedsChannelZero() throws IOException {
        Path mask = Masks.rgb(dir.resolve("mask.png"), 3, 2, WHITE, 0, 0, 0, 0, WHITE);
        TargetScore score = resolve("0:" + mask);
        assertEquals(1 + 6, score.score());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, score.seed());
    }

    @Test
    void aPixelCountsWhenAnyColourChannelIsAbove127() throws IOException {
        Path gray = Masks.gray(dir.resolve("gray.png"), 3, 2, 127, 128, 255, 0, 100, 200);
        assertEquals(20 + 30 + 60, resolve("1:" + gray).score());
        Path rgb = Masks.rgb(dir.resolve("rgb.png"), 3, 2, 0x7F7F7F, 0x800000, 0x008000, 0x000080, 0, 0x7F7F80);
        assertEquals(20 + 30 + 40 + 60, resolve("1:" + rgb).score());
    }

    @Test
    void alphaDoesNotCount() throws IOException {
        // opaque black and transparent white: only the white pixel's colour counts
        Path argb = Masks.argb(dir.resolve("argb.png"), 3, 2, 0xFF000000, 0x00FFFFFF, 0xFF000000, 0xFF000000,
                0xFF000000, 0xFF000000);
        assertEquals(20, resolve("1:" + argb).score());
    }

    @Test
    void withoutMaskExplainsThePixelsTheReferencePredictsAsTheClass() {
        // the unperturbed image predicts class 1 at pixels 1 and 3; the perturbed output predicts it elsewhere
        float[] reference = {5, 0, 5, 0, 5, 5, 0, 9, 0, 9, 0, 0};
        float[] perturbed = {0, 100, 0, 100, 0, 0, 10, 20, 30, 40, 50, 60};
        TargetScore score = target.resolve(new TargetRequest("car", perturbed, MODEL, reference, SHAPE));
        assertEquals(20 + 40, score.score());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0}, score.seed());
        assertEquals("class 1 (car), predicted mask of 2 pixels", score.description());
    }

    @Test
    void aClassPredictedNowhereIsAClearErrorNotAnEmptyMap() {
        float[] output = {9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0}; // class 0 everywhere
        CamException e = assertThrows(CamException.class,
                () -> target.resolve(new TargetRequest("car", output, MODEL, null, SHAPE)));
        assertTrue(e.getMessage().contains("no pixel") && e.getMessage().contains("car")
                && e.getMessage().contains(SegmentationTarget.FORM), e.getMessage());
    }

    @Test
    void withoutReferenceThePredictedMaskIsTheOutputsOwnArgmax() {
        float[] output = {0, 100, 0, 100, 0, 0, 10, 20, 30, 40, 50, 60};
        TargetScore score = target.resolve(new TargetRequest("1", output, MODEL, null, SHAPE));
        assertEquals(10 + 30 + 50 + 60, score.score());
    }

    @Test
    void aMaskOfAnotherSizeIsRejectedNamingBothSizes() throws IOException {
        Path mask = Masks.gray(dir.resolve("big.png"), 4, 5, new int[20]);
        CamException e = assertThrows(CamException.class, () -> resolve("1:" + mask));
        assertTrue(e.getMessage().contains("4x5") && e.getMessage().contains("3x2"), e.getMessage());
    }

    @Test
    void aClassifierOutputIsRejectedAskingForKByHByW() {
        CamException e = assertThrows(CamException.class,
                () -> target.resolve(new TargetRequest("1", new float[] {1, 2, 3}, MODEL)));
        assertTrue(e.getMessage().contains("segmentation needs [K, H, W] outputs")
                && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void aRelativeMaskPathResolvesAgainstTheWorkingDirectory() throws IOException {
        Path absolute = Path.of("").toAbsolutePath().resolve("target/segmentation-test/relative.png");
        Files.createDirectories(absolute.getParent());
        Masks.rgb(absolute, 3, 2, 0, 0, WHITE, 0, 0, 0);
        assertEquals(30, resolve("1:target/segmentation-test/relative.png").score());
    }

    @Test
    void aMaskIsDecodedAgainOnlyWhenItsModificationTimeChanges() throws IOException {
        Path mask = Masks.rgb(dir.resolve("mask.png"), 3, 2, WHITE, 0, 0, 0, 0, 0);
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(mask, written);
        assertEquals(10, resolve("1:" + mask).score());

        Masks.rgb(mask, 3, 2, 0, WHITE, 0, 0, 0, 0);
        Files.setLastModifiedTime(mask, written);
        assertEquals(10, resolve("1:" + mask).score(), "same path and time: the cached mask");

        Files.setLastModifiedTime(mask, FileTime.fromMillis(written.toMillis() + 1000));
        assertEquals(20, resolve("1:" + mask).score(), "newer file: decoded again");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "truck", "2", "-1", "1.5", "1:", "1: ", "1:no-such-mask.png"})
    void aMalformedSpecListsTheValidForm(String argument) {
        CamException e = assertThrows(CamException.class, () -> resolve(argument));
        assertTrue(e.getMessage().contains("segmentation:<index or label>[:<mask.png>]"), e.getMessage());
    }

    @Test
    void aMissingClassSaysSoWithTheSpecItGot() {
        CamException e = assertThrows(CamException.class, () -> resolve(""));
        assertTrue(e.getMessage().startsWith("target 'segmentation' needs a class: "
                + "segmentation:<index or label>[:<mask.png>] (got 'segmentation')"), e.getMessage());
    }

    @Test
    void aFileThatIsNoImageIsRejectedNamingIt() throws IOException {
        Path text = Files.writeString(dir.resolve("mask.png"), "not a png");
        CamException e = assertThrows(CamException.class, () -> resolve("1:" + text));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("PNG"), e.getMessage());
    }

    /** Writes small PNG masks. */
    static final class Masks {

        private Masks() {
        }

        static Path rgb(Path file, int width, int height, int... rgb) throws IOException {
            return write(file, width, height, BufferedImage.TYPE_INT_RGB, rgb);
        }

        static Path argb(Path file, int width, int height, int... argb) throws IOException {
            return write(file, width, height, BufferedImage.TYPE_INT_ARGB, argb);
        }

        static Path gray(Path file, int width, int height, int... values) throws IOException {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setPixels(0, 0, width, height, values);
            ImageIO.write(image, "png", file.toFile());
            return file;
        }

        private static Path write(Path file, int width, int height, int type, int[] pixels) throws IOException {
            BufferedImage image = new BufferedImage(width, height, type);
            image.setRGB(0, 0, width, height, pixels, 0, width);
            ImageIO.write(image, "png", file.toFile());
            return file;
        }
    }
}
