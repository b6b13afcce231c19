package org.camkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of a CAM method: extend it with one class that returns the method, and JUnit runs every
 * case on it.
 *
 * <pre>{@code
 * class MeanActivationConformanceTest extends MethodConformance {
 *     @Override
 *     protected CamMethod method() {
 *         return new MeanActivationCam();
 *     }
 * }
 * }</pre>
 *
 * <p>The method runs through {@link CamMethod#compute} as the core calls it: on a batch of two images of
 * {@link #net()} ({@link ReferenceNet#gapLinear()} by default) with a class target (each image's top class,
 * {@code score = seed . output}), at the net's {@link ReferenceNet#camLayer()} with activations, and gradients if the
 * method requires {@link Capability#GRADIENTS} (a method that does not require {@link Capability#ACTIVATIONS} gets
 * no layer), and with a {@link FakeProbe#reference} probe that answers only what the method declares in
 * {@link CamMethod#requires()}. Maps are compared as the core finishes them per layer: channels summed (or
 * projected, for {@link CamMaps.Kind#PROJECTION}), ReLU, min-max normalised. The cases:
 * <ul>
 * <li>the maps are one per image, finite, at the layer's or the input's size;</li>
 * <li>a batch of two gives what each image gives alone;</li>
 * <li>scaling the target by {@code c > 0} (its score, seed and every gradient) leaves the maps unchanged;</li>
 * <li>the method's picture, if it makes one, is one RGB image per input at the input's size;</li>
 * <li>every option's description gives its default.</li>
 * </ul>
 * A method for which the batch or the scaling case does not hold says why in {@link #batchDependence()} or
 * {@link #scaleDependence()}; the case is then reported as skipped (aborted) with that reason, so the count shows
 * it.
 *
 * @since 1.0
 */
public abstract class MethodConformance {

    private static final int IMAGES = 2;
    private static final long INPUT_SEED = 7;
    private static final float SCALE = 3.5f;
    private static final float TOLERANCE = 1e-4f;

    /** @return a new instance of the method under test */
    protected abstract CamMethod method();

    /** @return the options every case passes, each one the method lists; none by default */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** @return the network behind the probe; {@link ReferenceNet#gapLinear()} by default */
    protected ReferenceNet net() {
        return ReferenceNet.gapLinear();
    }

    /**
     * @return why an image's map depends on the other images of its batch (e.g. concepts factorised over the
     *         batch), or empty (the default) when it does not
     */
    protected Optional<String> batchDependence() {
        return Optional.empty();
    }

    /**
     * @return why scaling the target by {@code c > 0} changes the method's maps (e.g. a softmax over scores), or
     *         empty (the default) when it does not
     */
    protected Optional<String> scaleDependence() {
        return Optional.empty();
    }

    /** One call of the method on a batch, and the probe it used. */
    private record Run(CamMaps maps, FakeProbe probe) {
    }

    @Test
    void theMapsAreOnePerImageAtTheLayersOrTheInputsSize() {
        ReferenceNet net = net();
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Tensor maps = run(input, classTargets(net, input, 1)).maps().maps();
        assertEquals(IMAGES, maps.dim(0), "one map per image: " + maps);
        int[] size = {maps.dim(2), maps.dim(3)};
        int[] layer = net.shape(net.camLayer());
        boolean atLayer = method().requires().contains(Capability.ACTIVATIONS) && size[0] == layer[1]
                && size[1] == layer[2];
        boolean atInput = size[0] == net.height() && size[1] == net.width();
        assertTrue(atLayer || atInput, "maps " + maps + " are neither at the layer's size " + layer[1] + "x"
                + layer[2] + " nor at the input's " + net.height() + "x" + net.width());
        for (int i = 0; i < maps.size(); i++) {
            assertTrue(Float.isFinite(maps.get(i)), "maps " + maps + " hold " + maps.get(i) + " at " + i);
        }
    }

    @Test
    void aBatchGivesWhatEachImageGivesAlone() {
        optOut(batchDependence());
        ReferenceNet net = net();
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Tensor seeds = classTargets(net, input, 1);
        float[][] batch = finished(run(input, seeds).maps());
        assertSomeMapIsNotZero(batch);
        for (int n = 0; n < IMAGES; n++) {
            float[][] alone = finished(run(input.rows(n, n + 1), seeds.rows(n, n + 1)).maps());
            assertArrayEquals(alone[0], batch[n], TOLERANCE, "image " + n + " alone vs in a batch of " + IMAGES);
        }
    }

    @Test
    void scalingTheTargetLeavesTheMapsUnchanged() {
        optOut(scaleDependence());
        ReferenceNet net = net();
        Tensor input = net.input(IMAGES, INPUT_SEED);
        float[][] once = finished(run(input, classTargets(net, input, 1)).maps());
        assertSomeMapIsNotZero(once);
        float[][] scaled = finished(run(input, classTargets(net, input, SCALE)).maps());
        for (int n = 0; n < IMAGES; n++) {
            assertArrayEquals(once[n], scaled[n], TOLERANCE, "image " + n + ", target times " + SCALE);
        }
    }

    @Test
    void thePictureIsAbsentOrOneRgbImagePerInput() {
        ReferenceNet net = net();
        Tensor input = net.input(IMAGES, INPUT_SEED);
        Run run = run(input, classTargets(net, input, 1));
        Tensor maps = run.maps().maps();
        float[][] finished = finished(run.maps());
        int h = net.height();
        int w = net.width();
        float[] upsampled = new float[IMAGES * h * w];
        for (int n = 0; n < IMAGES; n++) {
            System.arraycopy(MapProcessing.resize(finished[n], maps.dim(3), maps.dim(2), w, h), 0, upsampled, n * h * w,
                    h * w);
        }
        Optional<Tensor> picture = method().picture(run.probe(), Tensor.of(upsampled, IMAGES, h, w));
        picture.ifPresent(p -> {
            assertArrayEquals(new int[] {IMAGES, 3, h, w}, p.shape(), "the picture " + p);
            for (int i = 0; i < p.size(); i++) {
                assertTrue(Float.isFinite(p.get(i)), "the picture holds " + p.get(i) + " at " + i);
            }
        });
    }

    @Test
    void everyOptionDescribesItsDefault() {
        Map<String, String> listed = method().options();
        listed.forEach((name, description) -> assertTrue(description.contains("default"),
                "option '" + name + "' does not give its default: " + description));
        assertTrue(listed.keySet().containsAll(options().keySet()), "options() passes " + options().keySet()
                + " but the method lists " + listed.keySet());
    }

    /** Guards the comparisons: maps that are all zero would compare equal whatever the method did. */
    private void assertSomeMapIsNotZero(float[][] maps) {
        boolean any = false;
        for (float[] map : maps) {
            for (float v : map) {
                any |= v > 0;
            }
        }
        assertTrue(any, getClass().getSimpleName() + ": every map is zero after ReLU on " + net()
                + "; the comparison would prove nothing (override net() with one where the method's maps show)");
    }

    private void optOut(Optional<String> reason) {
        Assumptions.assumeTrue(reason.isEmpty(), () -> "not run for " + getClass().getSimpleName() + ": "
                + reason.orElse(""));
    }

    /** @return one-hot seeds on each image's top class, times {@code scale} */
    private static Tensor classTargets(ReferenceNet net, Tensor input, float scale) {
        Tensor output = net.output(input);
        int k = net.classes();
        float[] seeds = new float[output.size()];
        for (int n = 0; n < output.dim(0); n++) {
            int top = 0;
            for (int c = 1; c < k; c++) {
                top = output.get(n * k + c) > output.get(n * k + top) ? c : top;
            }
            seeds[n * k + top] = scale;
        }
        return Tensor.of(seeds, output.shape());
    }

    /** Calls the method as the core does: layer data for the batch, and a probe of what it declares. */
    private Run run(Tensor input, Tensor seeds) {
        CamMethod method = method();
        ReferenceNet net = net();
        Set<Capability> requires = method.requires();
        String layer = requires.contains(Capability.ACTIVATIONS) ? net.camLayer() : null;
        Tensor output = net.output(input);
        float[] scores = new float[input.dim(0)];
        for (int i = 0; i < seeds.size(); i++) {
            scores[i / net.classes()] += seeds.get(i) * output.get(i);
        }
        FakeProbe probe = FakeProbe.reference(net, input, seeds).declared(requires).build();
        LayerData data = new LayerData(layer, layer == null ? null : net.activations(input, layer),
                layer != null && requires.contains(Capability.GRADIENTS) ? net.gradients(input, seeds, layer) : null,
                scores, probe, options());
        return new Run(method.compute(data), probe);
    }

    /** @return per image, what the core makes of one layer's maps before upsampling: reduced, ReLU, normalised */
    private static float[][] finished(CamMaps maps) {
        Tensor t = maps.maps();
        int channels = t.dim(1);
        int area = t.dim(2) * t.dim(3);
        float[][] out = new float[t.dim(0)][];
        for (int n = 0; n < out.length; n++) {
            int offset = n * channels * area;
            float[] map = new float[area];
            if (maps.kind() == CamMaps.Kind.PROJECTION) {
                map = MapProcessing.project(t, offset, channels, area);
            } else {
                for (int i = 0; i < channels * area; i++) {
                    map[i % area] += t.get(offset + i);
                }
            }
            for (int p = 0; p < area; p++) {
                map[p] = map[p] > 0 ? map[p] : 0;
            }
            out[n] = MapProcessing.normalize(map);
        }
        return out;
    }
}
