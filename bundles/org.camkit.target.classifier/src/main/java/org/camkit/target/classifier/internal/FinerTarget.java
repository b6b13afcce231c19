package org.camkit.target.classifier.internal;

import java.util.Arrays;
import java.util.Comparator;
import org.camkit.api.CamException;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code finer[:<index or label>[:<alpha>]]}: Finer-CAM's target (pytorch-grad-cam's {@code FinerWeightedTarget}, as
 * its {@code FinerCAM} builds it): the main class (default: the predicted one) against the three classes whose
 * outputs on the unperturbed image are closest to it (ranked by {@code |y_j - y_main|}, the main class first),
 * {@code score = Σ_j p_j (y_main - α y_j) / (Σ_j p_j + 1e-9)} with {@code p = softmax(y)} and α default 1. Its seed
 * is the exact derivative, the softmax weights included (pytorch-grad-cam does not detach them). With any gradient
 * method it explains what sets the class apart from its nearest rivals.
 */
@Component
@CamTarget("finer")
public final class FinerTarget implements TargetResolver {

    /** pytorch-grad-cam's {@code comparison_categories}: places 1 to 3 of the ranking. */
    static final int RIVALS = 3;
    private static final double EPS = 1e-9;

    @Override
    public TargetScore resolve(TargetRequest request) {
        float[] y = request.output();
        float[] reference = request.reference();
        String[] parts = request.argument().isBlank() ? new String[0] : request.argument().split(":", -1);
        if (parts.length > 2) {
            throw new CamException("target 'finer' takes finer, finer:<class> or finer:<class>:<alpha>, got 'finer:"
                    + request.argument() + "'");
        }
        int main = parts.length == 0 || parts[0].isBlank() ? ClassScores.argmax(reference)
                : ClassArgument.parse("finer", parts[0], request.model(), y.length);
        double alpha = 1;
        if (parts.length == 2) {
            try {
                alpha = Double.parseDouble(parts[1].trim());
            } catch (NumberFormatException e) {
                alpha = Double.NaN;
            }
            if (!Double.isFinite(alpha)) {
                throw new CamException("target 'finer': alpha must be a number (default 1), got '" + parts[1] + "'");
            }
        }
        if (y.length < 2) {
            throw new CamException("target 'finer' compares classes; the model has one output");
        }
        int[] rivals = rivals(reference, main);
        double[] p = ClassScores.softmax(y);
        double numerator = 0;
        double denominator = EPS;
        for (int j : rivals) {
            numerator += p[j] * (y[main] - alpha * y[j]);
            denominator += p[j];
        }
        double score = numerator / denominator;
        // d/dy_k: dS = Σ_j dp_j (y_m - α y_j) + Σ_j p_j (δ_mk - α δ_jk), dD = Σ_j dp_j, dp_j/dy_k = p_j (δ_jk - p_k)
        float[] seed = new float[y.length];
        for (int k = 0; k < y.length; k++) {
            double dS = 0;
            double dD = 0;
            for (int j : rivals) {
                double dp = p[j] * ((j == k ? 1 : 0) - p[k]);
                dS += dp * (y[main] - alpha * y[j]) + p[j] * ((k == main ? 1 : 0) - (k == j ? alpha : 0));
                dD += dp;
            }
            seed[k] = (float) ((dS * denominator - numerator * dD) / (denominator * denominator));
        }
        return new TargetScore("finer " + ClassScores.describe(main, request.model()) + " against "
                + Arrays.stream(rivals).mapToObj(j -> ClassScores.describe(j, request.model())).toList()
                + (alpha == 1 ? "" : ", alpha " + alpha), main, (float) score, seed);
    }

    /** @return the (up to) three classes closest to the main one on the unperturbed output, closest first */
    static int[] rivals(float[] reference, int main) {
        Integer[] order = new Integer[reference.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> Math.abs(reference[i] - reference[main])));
        return Arrays.stream(order).filter(i -> i != main).limit(RIVALS).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String description() {
        return "finer[:<index or label>[:<alpha>]]: a class against its three nearest rivals, as "
                + "pytorch-grad-cam's FinerWeightedTarget";
    }
}
