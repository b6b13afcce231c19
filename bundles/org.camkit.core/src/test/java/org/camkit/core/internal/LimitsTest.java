package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.junit.jupiter.api.Test;

class LimitsTest {

    private static ModelDescriptor model(int width, int height) {
        return new ModelDescriptor("big", "pytorch", Path.of("big.pt"), "torchscript", width, height,
                new float[3], new float[] {1, 1, 1}, List.of(), "layer4", Map.of());
    }

    @Test
    void unsetPropertiesGiveTheDefaultsAndSetOnesOverrideThem() {
        assertEquals(Limits.DEFAULTS, Limits.from(name -> null));
        Limits set = Limits.from(Map.of(Limits.MODEL_SIDE, "8192", Limits.MODEL_PIXELS, "64_000_000",
                Limits.IMAGE_PIXELS, " 5 ", Limits.BATCH_PIXELS, "7")::get);
        assertEquals(new Limits(8192, 64_000_000L, 5L, 7L), set);
    }

    @Test
    void aPropertyThatIsNotAPositiveNumberIsNamed() {
        for (String bad : List.of("0", "-3", "many", "1e9", "99999999999")) {
            CamException e = assertThrows(CamException.class,
                    () -> Limits.from(Map.of(Limits.MODEL_SIDE, bad)::get), bad);
            assertTrue(e.getMessage().startsWith("framework property camkit.limits.modelSide is '" + bad + "'"),
                    e.getMessage());
        }
    }

    @Test
    void aModelInputLargerThanTheLimitsIsRefusedNamingTheProperty() {
        assertDoesNotThrow(() -> Limits.DEFAULTS.checkModel(model(2048, 2048)));
        assertDoesNotThrow(() -> Limits.DEFAULTS.checkModel(model(4096, 1024)));
        CamException side = assertThrows(CamException.class, () -> Limits.DEFAULTS.checkModel(model(8000, 8000)));
        assertTrue(side.getMessage().startsWith("model 'big' takes 8000x8000 images, wider or taller than camkit's "
                + "limit of 4096 pixels") && side.getMessage().contains("-Dcamkit.limits.modelSide="),
                side.getMessage());
        CamException pixels = assertThrows(CamException.class, () -> Limits.DEFAULTS.checkModel(model(4096, 2048)));
        assertTrue(pixels.getMessage().contains("= 8.4 megapixels, more than camkit's limit of 4.2 megapixels")
                && pixels.getMessage().contains("-Dcamkit.limits.modelPixels="), pixels.getMessage());
        // 46341 x 46341 overflows an int: refused, not wrapped around
        Limits wide = new Limits(Integer.MAX_VALUE, Long.MAX_VALUE / 2, 1, 1);
        assertDoesNotThrow(() -> wide.checkModel(model(46341, 46341)));
        assertThrows(CamException.class, () -> new Limits(Integer.MAX_VALUE, 1L << 31, 1, 1)
                .checkModel(model(46341, 46341)));
    }

    @Test
    void anImageHeaderOverTheLimitIsRefusedWithoutOverflow() {
        assertDoesNotThrow(() -> Limits.DEFAULTS.checkImage("photo.jpg", 6000, 4000));
        assertThrows(CamException.class, () -> Limits.DEFAULTS.checkImage("bomb.png", 20000, 20000));
        assertThrows(CamException.class, () -> Limits.DEFAULTS.checkImage("bomb.png", Integer.MAX_VALUE,
                Integer.MAX_VALUE));
    }

    @Test
    void aMethodPassOfMoreImagesThanTheLimitHoldsIsRefusedNamingTheOptionAndTheProperty() {
        assertDoesNotThrow(() -> Limits.DEFAULTS.checkBatch(model(224, 224), 64));
        assertDoesNotThrow(() -> Limits.DEFAULTS.checkBatch(model(112, 112), 256));
        CamException e = assertThrows(CamException.class, () -> Limits.DEFAULTS.checkBatch(model(112, 112), 257));
        assertEquals("a pass of 257 images of 112x112 is more than camkit's limit of 3.2 megapixels per pass allows"
                + " (256 images of model 'big'); lower the method's batch-size option, or raise the limit"
                + " with -Dcamkit.limits.batchPixels=<pixels> if the machine has the memory", e.getMessage());
        assertThrows(CamException.class, () -> Limits.DEFAULTS.checkBatch(model(4096, 4096), Integer.MAX_VALUE));
        assertDoesNotThrow(() -> Limits.DEFAULTS.checkBatch(model(2048, 2048), 1), "one image always may");
        assertTrue(assertThrows(CamException.class, () -> Limits.DEFAULTS.checkBatch(model(2048, 2048), 2))
                .getMessage().contains("(1 images of model 'big')"));
    }
}
