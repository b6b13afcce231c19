package org.camkit.method.eigen.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Test;

class EigenMethodsTest {

    /** A probe that fails any call: the eigen methods need nothing beyond the layer data. */
    private static final ModelProbe UNUSED = (ModelProbe) Proxy.newProxyInstance(ModelProbe.class.getClassLoader(),
            new Class<?>[] {ModelProbe.class}, (proxy, method, args) -> {
                throw new AssertionError("an eigen method called the probe: " + method.getName());
            });

    /** Two images, two channels of 1x3. */
    private static final Tensor A = Tensor.copyOf(new float[] {1, -2, 3, 0.5f, 4, -1, 2, 2, 0, -3, 1, 5},
            new int[] {2, 2, 1, 3});
    private static final Tensor G = Tensor.copyOf(new float[] {2, 0.5f, -1, 4, 0, 3, -2, 1, 7, 0.5f, -4, 2},
            new int[] {2, 2, 1, 3});

    private static LayerData layer(Tensor gradients) {
        return new LayerData("layer", A, gradients, new float[2], UNUSED, Map.of());
    }

    @Test
    void eigenCamNeedsOnlyActivations() {
        assertEquals(Set.of(Capability.ACTIVATIONS), new EigenCam().requires());
    }

    @Test
    void eigenGradCamNeedsActivationsAndGradients() {
        assertEquals(Set.of(Capability.ACTIVATIONS, Capability.GRADIENTS), new EigenGradCam().requires());
    }

    @Test
    void eigenCamHandsTheActivationsToTheCoreForProjection() {
        CamMaps maps = new EigenCam().compute(layer(null));
        assertEquals(CamMaps.Kind.PROJECTION, maps.kind());
        assertEquals(A, maps.maps());
    }

    @Test
    void eigenGradCamProjectsExactlyTheElementwiseProductOfGradientsAndActivations() {
        // A * G position by position
        float[] expected = {2, -1, -3, 2, 0, -3, -4, 2, 0, -1.5f, -4, 10};
        CamMaps maps = new EigenGradCam().compute(layer(G));
        assertEquals(CamMaps.Kind.PROJECTION, maps.kind());
        assertArrayEquals(A.shape(), maps.maps().shape());
        assertArrayEquals(expected, maps.maps().toArray());
    }

    @Test
    void neitherMethodTakesOptions() {
        assertEquals(Map.of(), new EigenCam().options());
        assertEquals(Map.of(), new EigenGradCam().options());
    }
}
