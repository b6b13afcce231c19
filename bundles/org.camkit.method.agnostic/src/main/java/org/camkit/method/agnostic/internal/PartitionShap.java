package org.camkit.method.agnostic.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.opencv.photo.Photo;
import org.osgi.service.component.annotations.Component;

/**
 * Partition SHAP (Lundberg and Lee, 2017, "A Unified Approach to Interpreting Model Predictions"; shap's
 * {@code PartitionExplainer} with {@code maskers.Image}): the Owen values (Owen, 1977) of the target score over an
 * axis-aligned binary partition of the image, the Shapley values of a game whose players are nested cells. A pixel's
 * value is its share of {@code f(x) - f(baseline)}: the values sum to it (efficiency), and for a model additive over
 * pixels they are each pixel's own contribution. Masked cells show a blurred copy of the image (shap's
 * {@code "blur(k,k)"}) or a constant colour. A budget of model evaluations ({@code max-evals}, shap's
 * {@code max_evals}) refines the cells with the largest contributions first; a cell never refined spreads its value
 * evenly over its pixels. The algorithm, its tree and its accounting are shap 0.51's ({@link PartitionShapOwen}), and
 * so are its {@code inpaint_telea}/{@code inpaint_ns} maskers (OpenCV inpainting, {@link PartitionShapMasker}). Reports
 * {@code fx} = f(x), {@code base} = f(baseline), the sum of the values {@code sum} and the model evaluations
 * {@code passes} (the names KernelSHAP reports too).
 */
@Component
@Method("partitionshap")
public final class PartitionShap implements CamMethod {

    static final String NAME = "partitionshap";
    static final String MAX_EVALS = "max-evals";
    static final String BATCH_SIZE = "batch-size";
    static final String MASKER = "masker";
    static final String BLUR = "blur";
    static final String COLOUR = "colour";
    static final String MASKER_BLUR = "blur";
    static final String MASKER_COLOUR = "colour";
    static final String MASKER_TELEA = "inpaint_telea";
    static final String MASKER_NS = "inpaint_ns";

    @Override
    public Set<Capability> requires() {
        return Set.of();
    }

    @Override
    public Map<String, String> options() {
        return Map.of(MAX_EVALS, "model evaluations per image, f(x) and f(baseline) included, at least 2"
                        + " (default 500, as shap's max_evals)",
                BATCH_SIZE, "masked images per forward pass, at least 2; a round refines batch-size / 2 cells, so"
                        + " with a limited budget it also decides which cells are refined, as shap's batch_size"
                        + " does (default 64)",
                MASKER, "what masked cells show: blur (the image blurred), colour (a constant colour), or"
                        + " inpaint_telea or inpaint_ns (OpenCV's inpainting of each copy's masked pixels, shap's"
                        + " maskers of those names) (default blur)",
                BLUR, "for masker=blur, the side of the box-blur window in pixels, at least 1 (default"
                        + " round(128 * min(H, W) / 224): 37 at 64, shap's image examples' blur(128,128) at 224)",
                COLOUR, "for masker=colour, the colour as R,G,B from 0 to 255 (default the model's mean colour,"
                        + " 0 after normalisation)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        ModelProbe probe = data.probe();
        Tensor input = probe.input();
        int n = input.dim(0), channels = input.dim(1), height = input.dim(2), width = input.dim(3);
        int size = channels * height * width;
        int maxEvals = CoalitionOptions.between(data, NAME, MAX_EVALS, 500, 2, Integer.MAX_VALUE);
        int batch = CoalitionOptions.between(data, NAME, BATCH_SIZE, 64, 2, Integer.MAX_VALUE);
        String masker = data.options().getOrDefault(MASKER, MASKER_BLUR).trim();
        if (!List.of(MASKER_BLUR, MASKER_COLOUR, MASKER_TELEA, MASKER_NS).contains(masker)) {
            throw new CamException(CamException.Kind.INVALID, "method '" + NAME + "': option '" + MASKER
                    + "' must be " + MASKER_BLUR + ", " + MASKER_COLOUR + ", " + MASKER_TELEA + " or " + MASKER_NS
                    + ", got '" + masker + "'", MASKER, List.of());
        }
        if (masker.startsWith("inpaint") && channels != 3) {
            throw new CamException(CamException.Kind.INVALID, "method '" + NAME + "': the inpainting maskers need a"
                    + " 3-channel picture, the model takes " + channels + " channels; use masker=blur or masker=colour",
                    MASKER, List.of(MASKER_BLUR, MASKER_COLOUR));
        }
        only(data, masker, MASKER_BLUR, BLUR);
        only(data, masker, MASKER_COLOUR, COLOUR);
        int kernel = CoalitionOptions.between(data, NAME, BLUR,
                Math.max(1, Math.round(128f * Math.min(height, width) / 224)), 1, Integer.MAX_VALUE);
        float[] colour = masker.equals(MASKER_COLOUR) ? colour(data, probe.model(), channels) : null;
        int perImage = 1 + batches(maxEvals - 2, batch);
        float[] maps = new float[n * height * width];
        float[] fx = new float[n], fBaseline = new float[n], sum = new float[n], evals = new float[n];
        int[] done = {0};
        for (int i = 0; i < n; i++) {
            int image = i, later = (n - 1 - i) * perImage;
            float[] x = new float[size];
            input.copyTo(i * size, x, 0, size);
            PartitionShapOwen.Masker cells = switch (masker) {
                case MASKER_TELEA -> PartitionShapMasker.inpaint(x, height, width, probe.model(), Photo.INPAINT_TELEA);
                case MASKER_NS -> PartitionShapMasker.inpaint(x, height, width, probe.model(), Photo.INPAINT_NS);
                case MASKER_COLOUR -> PartitionShapOwen.Masker.over(x, PartitionShapMasker.fill(colour, height,
                        width));
                default -> PartitionShapOwen.Masker.over(x, PartitionShapMasker.blur(x, channels, height, width,
                        kernel));
            };
            int[] used = {0};
            PartitionShapOwen.Result r = PartitionShapOwen.explain(cells, channels, height, width, maxEvals, batch,
                    (rows, count) -> {
                        float[] s = probe.scoreInputs(image, Tensor.of(rows, count, channels, height, width));
                        if (s.length != count) {
                            throw new IllegalStateException("method '" + NAME + "': the model probe returned "
                                    + s.length + " scores for " + count + " inputs");
                        }
                        used[0] += count;
                        done[0]++;
                        probe.progress(done[0], done[0] + batches(maxEvals - used[0], batch) + later);
                        return s;
                    });
            System.arraycopy(r.values(), 0, maps, i * height * width, height * width);
            fx[i] = r.fx();
            fBaseline[i] = r.fBaseline();
            double total = 0;
            for (float v : r.values()) {
                total += v;
            }
            sum[i] = (float) total;
            evals[i] = r.evals();
        }
        return CamMaps.map(Tensor.of(maps, n, 1, height, width)).withDetail("fx", fx)
                .withDetail("base", fBaseline).withDetail("sum", sum).withDetail(CamMaps.PASSES, evals);
    }

    /** @return the forward passes of at most {@code batch} rows (even) that {@code evals} rows need */
    private static int batches(int evals, int batch) {
        int rows = batch / 2 * 2;
        return (Math.max(evals, 0) + rows - 1) / rows;
    }

    private static void only(LayerData data, String masker, String forMasker, String option) {
        if (data.options().containsKey(option) && !masker.equals(forMasker)) {
            throw new CamException(CamException.Kind.INVALID, "method '" + NAME + "': option '" + option
                    + "' applies to " + MASKER + "=" + forMasker + ", the request has " + MASKER + "=" + masker,
                    option, List.of());
        }
    }

    /** @return the colour option (or the mean colour) normalised, per input channel in the model's order */
    private static float[] colour(LayerData data, ModelDescriptor model, int channels) {
        String value = data.options().get(COLOUR);
        float[] out = new float[channels];
        if (value == null) {
            return out;
        }
        String[] parts = value.split(",");
        if (parts.length != 3 || channels != 3) {
            throw new CamException(CamException.Kind.INVALID, "method '" + NAME + "': option '" + COLOUR
                    + "' must be R,G,B (three integers from 0 to 255, e.g. 128,128,128), got '" + value + "'",
                    COLOUR, List.of());
        }
        float[] rgb = new float[3];
        for (int c = 0; c < 3; c++) {
            int v;
            try {
                v = Integer.parseInt(parts[c].trim());
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 255) {
                throw new CamException(CamException.Kind.INVALID, "method '" + NAME + "': option '" + COLOUR
                        + "' must be R,G,B (three integers from 0 to 255, e.g. 128,128,128), got '" + value + "'",
                        COLOUR, List.of());
            }
            rgb[c] = v;
        }
        return Pixels.normalised(rgb, model);
    }
}
