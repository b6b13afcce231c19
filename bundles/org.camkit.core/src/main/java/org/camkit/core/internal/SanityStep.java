package org.camkit.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.api.Evaluator;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.camkit.api.SanityCheck;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelBackend;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Randomisation;
import org.camkit.spi.Tensor;

/**
 * The model-randomisation sanity check (Adebayo et al., 2018, cascading randomisation): each method's maps on the
 * trained model, then on copies whose weighted layers are re-initialised from the output down, one more at each
 * step, compared by Spearman's rank correlation. Targets stay fixed on the trained model's outputs, so every map
 * explains the same class.
 */
final class SanityStep {

    private final ModelCatalog models;
    private final PluginRegistry<ModelBackend> backends;
    private final PluginRegistry<CamMethod> methods;
    private final ExplainStep explain;
    private final Limits limits;

    /**
     * @param models   the registered models
     * @param backends the registered backends
     * @param methods  the registered methods
     * @param explain  explains on the trained model, checking the request first
     * @param limits   the images and passes are checked against them
     */
    SanityStep(ModelCatalog models, PluginRegistry<ModelBackend> backends, PluginRegistry<CamMethod> methods,
            ExplainStep explain, Limits limits) {
        this.models = models;
        this.backends = backends;
        this.methods = methods;
        this.explain = explain;
        this.limits = limits;
    }

    /** See {@link org.camkit.api.Evaluator#sanity}. */
    SanityCheck sanity(ExplainRequest request, List<String> names, long seed) {
        if (names.isEmpty()) {
            throw new CamException("the sanity check needs at least one method; registered methods: "
                    + methods.names());
        }
        Map<String, Map<String, String>> options = EvaluateStep.methodOptions(methods, names, request.options());
        ModelRef ref = ModelRef.resolve(models, backends, request.model());
        ModelDescriptor descriptor = ref.descriptor();
        LoadedModel model = ref.load();
        Randomisation role = model.randomisation().orElseThrow(() -> new CamException("model '"
                + descriptor.name() + "' (backend '" + ref.backend().name() + "', architecture '"
                + descriptor.architecture() + "') cannot re-initialise its layers, which the sanity check needs; it"
                + " runs on models built from an architecture their backend knows, such as the demo CNN"
                + " (demo-biased) on PyTorch and TensorFlow"));
        List<String> weighted = new ArrayList<>(role.layers());
        Collections.reverse(weighted);
        List<List<String>> steps = new ArrayList<>();
        for (int k = 1; k <= weighted.size(); k++) {
            steps.add(List.copyOf(weighted.subList(0, k)));
        }
        List<RgbImage> pictures = new ArrayList<>();
        for (ImageInput image : request.images()) {
            pictures.add(Images.resize(Images.decode(image, limits), descriptor.inputWidth(),
                    descriptor.inputHeight()));
        }
        Tensor input = Images.preprocess(pictures, descriptor);
        // the trained model's maps and outputs, through the explain step, which checks names, options, capabilities
        // and layers before any inference
        List<Explanation> trained = new ArrayList<>();
        for (String name : names) {
            trained.add(explain.explain(new ExplainRequest(request.model(),
                    pictures.stream().map(p -> (ImageInput) new ImageInput.Pixels(p)).toList(), name,
                    request.layers(), request.target(), options.get(name), request.augSmooth(),
                    request.eigenSmooth(), request.progress(), false, null)));
        }
        List<float[]> references = trained.get(0).images().stream().map(ImageExplanation::output).toList();
        double[][] correlation = new double[names.size()][steps.size()];
        int done = 0;
        for (int s = 0; s < steps.size(); s++) {
            try (LoadedModel copy = role.randomised(steps.get(s), seed)) {
                for (int m = 0; m < names.size(); m++) {
                    Probe.checkCancelled("the sanity check");
                    String name = names.get(m);
                    CamMethod method = methods.get(name).service();
                    Probe.Target target = explain.target(request.target(), method, copy.descriptor());
                    Pipeline pipeline = new Pipeline(copy, method, name, target.resolver(), target.argument(),
                            trained.get(m).layers(), options.get(name), request.eigenSmooth(), null,
                            request.progress(), limits);
                    List<Pipeline.ImageResult> maps = pipeline.run(input, references, request.augSmooth());
                    double sum = 0;
                    int counted = 0;
                    for (int i = 0; i < maps.size(); i++) {
                        ImageExplanation before = trained.get(m).images().get(i);
                        if (before.flat()) {
                            continue; // nothing to compare with: the trained model's map shows nothing
                        }
                        // a map that comes out flat on the copy ranks nothing: it shares no order
                        double r = spearman(before.cam(), maps.get(i).cam());
                        sum += Double.isNaN(r) ? 0 : r;
                        counted++;
                    }
                    correlation[m][s] = counted == 0 ? Double.NaN : sum / counted;
                    request.progress().update(Evaluator.SANITY_PROGRESS, ++done, steps.size() * names.size());
                }
            }
        }
        List<List<Double>> out = new ArrayList<>();
        for (double[] row : correlation) {
            out.add(Arrays.stream(row).boxed().toList());
        }
        return new SanityCheck(descriptor.name(), request.target().isEmpty() ? ExplainStep.DEFAULT_TARGET
                : request.target(), steps, names, out, pictures.size(), seed);
    }

    /**
     * @return Spearman's rank correlation of two maps: Pearson's of their ranks, ties given their mean rank;
     *         {@code NaN} when either is constant
     */
    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < ra.length; i++) {
            ma += ra[i];
            mb += rb[i];
        }
        ma /= ra.length;
        mb /= rb.length;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < ra.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
    }

    /** @return the ranks (1-based) of the values, ties given their mean rank */
    static double[] ranks(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(v[x], v[y]));
        double[] ranks = new double[v.length];
        for (int start = 0; start < order.length;) {
            int end = start;
            while (end + 1 < order.length && v[order[end + 1]] == v[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }
}
