package org.camkit.method.dff.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * Deep Feature Factorization (Collins et al., 2018), as pytorch-grad-cam's {@code dff()}: the batch's activations
 * as a {@code [C, N*h*w]} matrix, NaN set to 0, minus each channel's minimum, factorised by NMF into concepts
 * {@code W [C, M]} (the minimum added back) and their maps {@code H [M, N*h*w]}, returned as {@code [N, M, h, w]}.
 * With the model's linear head, a concept's legend is the head's top two softmax classes on its vector; otherwise
 * {@code concept i}. See {@link Nmf} for how the factorisation differs from scikit-learn's.
 */
@Component
@Method("dff")
public final class Dff implements CamMethod {

    static final String COMPONENTS = "components";
    static final String MAX_ITERATIONS = "max-iterations";
    static final String TOLERANCE = "tolerance";
    static final long SEED = 0;

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(COMPONENTS, "number of concepts, from 1 to the layer's channels (default 5)",
                MAX_ITERATIONS, "most NMF iterations, at least 1 (default 500)",
                TOLERANCE, "stop when 10 iterations reduce the error by less than this share of the initial"
                        + " error, at least 0 (default 1e-4)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        int m = data.intOption(COMPONENTS, 5);
        int maxIterations = data.intOption(MAX_ITERATIONS, 500);
        double tolerance = data.doubleOption(TOLERANCE, 1e-4);
        if (m < 1) {
            throw new CamException(CamException.Kind.INVALID, "method 'dff': option '" + COMPONENTS
                    + "' must be at least 1, got " + m, COMPONENTS, List.of());
        }
        if (maxIterations < 1) {
            throw new CamException(CamException.Kind.INVALID, "method 'dff': option '" + MAX_ITERATIONS
                    + "' must be at least 1, got " + maxIterations, MAX_ITERATIONS, List.of());
        }
        if (!(tolerance >= 0)) {
            throw new CamException(CamException.Kind.INVALID, "method 'dff': option '" + TOLERANCE
                    + "' must be at least 0, got " + tolerance, TOLERANCE, List.of());
        }
        Tensor acts = data.activations();
        int n = acts.dim(0), c = acts.dim(1), area = acts.dim(2) * acts.dim(3), cols = n * area;
        if (data.options().containsKey(COMPONENTS) && m > c) {
            throw new CamException(CamException.Kind.INVALID, "method 'dff': option '" + COMPONENTS + "' is " + m
                    + ", more than the " + c + " channels of layer '" + data.layer() + "'; a factorisation into more "
                    + "concepts than channels only repeats them: give at most " + c, COMPONENTS, List.of());
        }
        double[] x = new double[c * cols];
        double[] offset = new double[c];
        for (int k = 0; k < c; k++) {
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < area; p++) {
                    float v = acts.get((i * c + k) * area + p);
                    double value = Float.isNaN(v) ? 0 : v;
                    x[k * cols + i * area + p] = value;
                    min = Math.min(min, value);
                }
            }
            offset[k] = min;
            for (int j = 0; j < cols; j++) {
                x[k * cols + j] -= min;
            }
        }
        ModelProbe probe = data.probe();
        Nmf.Factors f = Nmf.factorise(x, c, cols, m, maxIterations, tolerance, SEED,
                done -> probe.progress(done, maxIterations));
        float[] maps = new float[n * m * area];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                for (int p = 0; p < area; p++) {
                    maps[(i * m + j) * area + p] = (float) f.h()[j * cols + i * area + p];
                }
            }
        }
        double[][] concepts = new double[m][c];
        for (int k = 0; k < c; k++) {
            for (int j = 0; j < m; j++) {
                concepts[j][k] = f.w()[k * m + j] + offset[k];
            }
        }
        return CamMaps.concepts(Tensor.of(maps, n, m, acts.dim(2), acts.dim(3)),
                legends(probe, concepts, c));
    }

    /** The head's top classes per concept when the model has a linear head over {@code c} channels. */
    private static List<String> legends(ModelProbe probe, double[][] concepts, int c) {
        List<String> legends = new ArrayList<>();
        if (probe.linearHead().isPresent()) {
            ConceptLabels labels = new ConceptLabels(probe.linearHead().get(), probe.model());
            if (labels.channels() == c) {
                for (double[] concept : concepts) {
                    legends.add(labels.legend(concept));
                }
                return legends;
            }
        }
        for (int j = 0; j < concepts.length; j++) {
            legends.add("concept " + (j + 1));
        }
        return legends;
    }
}
