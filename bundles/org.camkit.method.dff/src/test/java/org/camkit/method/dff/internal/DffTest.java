package org.camkit.method.dff.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.LinearHead;
import org.camkit.spi.Tensor;
import org.camkit.testkit.FakeProbe;
import org.junit.jupiter.api.Test;

class DffTest {

    /**
     * One image, 4 channels on 4 x 4: the left half holds the pattern (2, 2, 0, 0) over the channels, the right half
     * (0, 0, 3, 3), plus a constant {@code shift} (the per-channel offset, added back to the concept vectors).
     */
    private static Tensor twoConcepts() {
        return twoConcepts(1);
    }

    private static Tensor twoConcepts(float shift) {
        float[] a = new float[4 * 16];
        for (int k = 0; k < 4; k++) {
            for (int p = 0; p < 16; p++) {
                boolean left = p % 4 < 2;
                a[k * 16 + p] = (left ? (k < 2 ? 2 : 0) : (k < 2 ? 0 : 3)) + shift;
            }
        }
        return Tensor.copyOf(a, new int[] {1, 4, 4, 4});
    }

    private static CamMaps run(Tensor acts, FakeProbe probe, Map<String, String> options) {
        return new Dff().compute(new LayerData("layer", acts, null, new float[acts.dim(0)], probe, options));
    }

    @Test
    void returnsOneMapPerConceptPerImage() {
        Random random = new Random(8);
        float[] a = new float[2 * 6 * 3 * 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() * 4 - 1;
        }
        a[7] = Float.NaN;
        CamMaps maps = run(Tensor.copyOf(a, new int[] {2, 6, 3, 5}), FakeProbe.builder().build(),
                Map.of("components", "3"));
        assertEquals(CamMaps.Kind.CONCEPTS, maps.kind());
        assertArrayEquals(new int[] {2, 3, 3, 5}, maps.maps().shape());
        assertEquals(List.of("concept 1", "concept 2", "concept 3"), maps.legends());
        for (float v : maps.maps().toArray()) {
            assertTrue(v >= 0 && !Float.isNaN(v));
        }
    }

    @Test
    void linearHeadNamesEachConceptByItsTopClasses() {
        // cat reads channels 0-1, dog channels 2-3, car is negative on all: the left concept is "cat, then dog";
        // the offset +1 adds the same to cat and dog
        LinearHead head = new LinearHead("layer", Tensor.copyOf(new float[] {2, 2, 0, 0, 0, 0, 2, 2, -1, -1, -1, -1},
                new int[] {3, 4}), new float[] {0, 0, 0});
        CamMaps maps = run(twoConcepts(), FakeProbe.builder().linearHead(head).labels(List.of("cat", "dog"))
                .build(), Map.of("components", "2"));
        float[] m = maps.maps().toArray();
        for (int j = 0; j < 2; j++) {
            float left = m[j * 16], right = m[j * 16 + 3];
            String legend = maps.legends().get(j);
            if (left > right) {
                assertTrue(legend.startsWith("cat ") && legend.contains(", dog "), legend);
            } else {
                assertTrue(legend.startsWith("dog ") && legend.contains(", cat "), legend);
            }
            assertTrue(legend.matches("\\w+ \\d\\.\\d\\d, \\w+ \\d\\.\\d\\d"), legend);
        }
        assertTrue(m[0] > m[3] != m[16] > m[19], "the two concepts sit on different halves");
    }

    @Test
    void conceptVectorsIncludeTheChannelOffset() {
        // with every activation shifted by -100, both concept vectors are about -100 per channel: "low" wins
        LinearHead head = new LinearHead("layer", Tensor.copyOf(new float[] {2, 2, 0, 0, 0, 0, 2, 2, -1, -1, -1, -1},
                new int[] {3, 4}), new float[] {0, 0, 0});
        CamMaps maps = run(twoConcepts(-100), FakeProbe.builder().linearHead(head)
                .labels(List.of("cat", "dog", "low")).build(), Map.of("components", "2"));
        for (String legend : maps.legends()) {
            assertTrue(legend.startsWith("low 1.00"), legend);
        }
    }

    @Test
    void labelsFallBackToTheClassIndex() {
        LinearHead head = new LinearHead("layer", Tensor.copyOf(new float[] {-1, -1, -1, -1, 0, 0, 0, 0, 5, 5, 5, 5},
                new int[] {3, 4}), new float[] {0, 0, 0});
        CamMaps maps = run(twoConcepts(), FakeProbe.builder().linearHead(head).labels(List.of("cat"))
                .build(), Map.of("components", "1"));
        assertTrue(maps.legends().get(0).startsWith("2 "), maps.legends().get(0));
    }

    @Test
    void headOverOtherChannelsIsNotUsed() {
        LinearHead head = new LinearHead("other", Tensor.copyOf(new float[6], new int[] {2, 3}), new float[2]);
        CamMaps maps = run(twoConcepts(), FakeProbe.builder().linearHead(head).build(), Map.of("components", "2"));
        assertEquals(List.of("concept 1", "concept 2"), maps.legends());
    }

    @Test
    void isDeterministic() {
        FakeProbe probe = FakeProbe.builder().build();
        assertEquals(run(twoConcepts(), probe, Map.of()), run(twoConcepts(), probe, Map.of()));
    }

    @Test
    void malformedOptionsAreRefusedNamingTheOption() {
        FakeProbe probe = FakeProbe.builder().build();
        for (Map<String, String> bad : List.of(Map.of("components", "0"), Map.of("components", "five"),
                Map.of("max-iterations", "0"), Map.of("tolerance", "-1"), Map.of("tolerance", "tiny"))) {
            CamException e = assertThrows(CamException.class, () -> run(twoConcepts(), probe, bad));
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }

    @Test
    void moreComponentsThanChannelsAreRefusedWhenAskedForButTheDefaultKeepsPytorchGradCamsFive() {
        FakeProbe probe = FakeProbe.builder().build();
        CamException e = assertThrows(CamException.class,
                () -> run(twoConcepts(), probe, Map.of("components", "100000")));
        assertTrue(e.getMessage().startsWith("method 'dff': option 'components' is 100000, more than the 4 channels of "
                + "layer 'layer'"), e.getMessage());
        assertEquals(4, run(twoConcepts(), probe, Map.of("components", "4")).maps().dim(1));
        assertEquals(5, run(twoConcepts(), probe, Map.of()).maps().dim(1), "the default, as pytorch-grad-cam's");
    }

    @Test
    void needsOnlyActivations() {
        assertEquals(Set.of(Capability.ACTIVATIONS), new Dff().requires());
        assertTrue(new Dff().options().get("components").contains("default 5"));
    }
}
