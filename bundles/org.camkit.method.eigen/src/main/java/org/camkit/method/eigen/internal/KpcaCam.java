package org.camkit.method.eigen.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.CamMaps;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Capability;
import org.camkit.spi.LayerData;
import org.camkit.spi.Tensor;
import org.camkit.spi.propertytypes.Method;
import org.osgi.service.component.annotations.Component;

/**
 * KPCA-CAM (Karmani et al., 2024), as pytorch-grad-cam's {@code KPCA_CAM}: Eigen-CAM with kernel PCA. Per image,
 * the {@code h*w x C} activations, columns centred, give the kernel matrix {@code K} (scikit-learn's
 * {@code KernelPCA} defaults: sigmoid {@code tanh(γ <x, y> + 1)}, {@code γ = 1/C}); {@code K} is centred, and the map
 * is its largest eigenvector times the square root of its eigenvalue, signed so that its largest-magnitude entry is
 * positive (scikit-learn's {@code svd_flip}). The eigenpair comes from power iteration on the kernel, never a full
 * decomposition; the kernel is dense, {@code (h*w)^2} values, so layers of up to {@value #MAX_POSITIONS} positions
 * (64 x 64) are taken.
 */
@Component
@Method("kpcacam")
public final class KpcaCam implements CamMethod {

    static final String KERNEL = "kernel";
    static final String GAMMA = "gamma";
    /** The most positions a layer may have: a dense kernel of 4096² doubles is 134 MB. */
    static final int MAX_POSITIONS = 4096;
    private static final int MAX_ITERATIONS = 100_000;
    private static final double TOLERANCE = 1e-12;

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.ACTIVATIONS);
    }

    @Override
    public Map<String, String> options() {
        return Map.of(KERNEL, "sigmoid (default: tanh(gamma <x, y> + 1)), rbf (exp(-gamma |x - y|^2)), poly"
                        + " ((gamma <x, y> + 1)^3) or linear, as scikit-learn's KernelPCA",
                GAMMA, "the kernel's gamma (default 1 / channels, scikit-learn's)");
    }

    @Override
    public CamMaps compute(LayerData data) {
        String kernel = data.options().getOrDefault(KERNEL, "sigmoid").trim();
        if (!Set.of("sigmoid", "rbf", "poly", "linear").contains(kernel)) {
            throw new CamException(CamException.Kind.INVALID, "method 'kpcacam': option kernel must be sigmoid, rbf,"
                    + " poly or linear, got '" + kernel + "'", KERNEL, List.of("sigmoid", "rbf", "poly", "linear"));
        }
        Tensor a = data.activations();
        int n = a.dim(0);
        int c = a.dim(1);
        int area = a.dim(2) * a.dim(3);
        if (area > MAX_POSITIONS) {
            throw new CamException(CamException.Kind.INVALID, "method 'kpcacam': layer '" + data.layer() + "' has "
                    + a.dim(2) + "x" + a.dim(3) + " positions; its kernel matrix would hold " + area
                    + "² values, more than the " + MAX_POSITIONS + "² it takes (64x64): choose a later layer",
                    data.layer(), List.of());
        }
        double gamma = data.doubleOption(GAMMA, 1.0 / c);
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new CamException(CamException.Kind.INVALID, "method 'kpcacam': option gamma must be a positive"
                    + " number, got " + gamma, GAMMA, List.of());
        }
        float[] maps = new float[n * area];
        for (int i = 0; i < n; i++) {
            double[][] x = centredPositions(a, i * c * area, c, area);
            double[] projection = topComponent(centre(kernel(x, kernel, gamma)));
            for (int p = 0; p < area; p++) {
                maps[i * area + p] = (float) projection[p];
            }
        }
        return CamMaps.sum(Tensor.of(maps, n, 1, a.dim(2), a.dim(3)));
    }

    /** @return the positions' channel vectors {@code [area][C]}, each channel centred over the positions */
    static double[][] centredPositions(Tensor a, int offset, int c, int area) {
        double[][] x = new double[area][c];
        for (int k = 0; k < c; k++) {
            double mean = 0;
            for (int p = 0; p < area; p++) {
                mean += a.get(offset + k * area + p);
            }
            mean /= area;
            for (int p = 0; p < area; p++) {
                x[p][k] = a.get(offset + k * area + p) - mean;
            }
        }
        return x;
    }

    /** @return the kernel matrix of the positions */
    static double[][] kernel(double[][] x, String kernel, double gamma) {
        int m = x.length;
        double[][] k = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                double dot = 0;
                double distance = 0;
                for (int d = 0; d < x[i].length; d++) {
                    dot += x[i][d] * x[j][d];
                    double diff = x[i][d] - x[j][d];
                    distance += diff * diff;
                }
                double v = switch (kernel) {
                    case "sigmoid" -> Math.tanh(gamma * dot + 1);
                    case "rbf" -> Math.exp(-gamma * distance);
                    case "poly" -> Math.pow(gamma * dot + 1, 3);
                    default -> dot;
                };
                k[i][j] = v;
                k[j][i] = v;
            }
        }
        return k;
    }

    /** @return the kernel centred in feature space: {@code K - row means - column means + total mean} */
    static double[][] centre(double[][] k) {
        int m = k.length;
        double[] rows = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                rows[i] += k[i][j];
            }
            total += rows[i];
            rows[i] /= m;
        }
        total /= (double) m * m;
        double[][] out = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                out[i][j] = k[i][j] - rows[i] - rows[j] + total; // symmetric: column means equal row means
            }
        }
        return out;
    }

    /**
     * @return the eigenvector of the largest eigenvalue λ of the symmetric {@code k} (by power iteration, shifted
     *         when the largest-magnitude eigenvalue is negative), times √max(λ, 0), its largest-magnitude entry
     *         positive
     */
    static double[] topComponent(double[][] k) {
        double[] v = iterate(k, 0);
        double lambda = rayleigh(k, v);
        if (lambda < 0) { // the dominant eigenvalue is negative: shift it to 0, the largest algebraic one dominates
            v = iterate(k, -lambda);
            lambda = rayleigh(k, v);
        }
        int largest = 0;
        for (int p = 1; p < v.length; p++) {
            if (Math.abs(v[p]) > Math.abs(v[largest])) {
                largest = p;
            }
        }
        double scale = Math.sqrt(Math.max(lambda, 0)) * (v[largest] < 0 ? -1 : 1);
        for (int p = 0; p < v.length; p++) {
            v[p] *= scale;
        }
        return v;
    }

    /** @return the unit dominant eigenvector of {@code k + shift I} */
    private static double[] iterate(double[][] k, double shift) {
        int m = k.length;
        double[] v = new double[m];
        for (int p = 0; p < m; p++) {
            v[p] = 1.0 / Math.sqrt(m) + 1e-3 * Math.sin(p + 1); // fixed, not orthogonal to a typical eigenvector
        }
        double[] next = new double[m];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double norm = 0;
            for (int i = 0; i < m; i++) {
                double s = shift * v[i];
                for (int j = 0; j < m; j++) {
                    s += k[i][j] * v[j];
                }
                next[i] = s;
                norm += s * s;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return v; // k + shift I is 0: every vector is an eigenvector
            }
            double dot = 0;
            for (int i = 0; i < m; i++) {
                dot += next[i] * v[i];
            }
            double sign = dot < 0 ? -1 : 1; // a negative dominant eigenvalue flips v each step: compare up to sign
            double change = 0;
            for (int i = 0; i < m; i++) {
                double value = next[i] / norm;
                change = Math.max(change, Math.abs(value - sign * v[i]));
                v[i] = value;
            }
            if (change < TOLERANCE) {
                break;
            }
        }
        return v;
    }

    private static double rayleigh(double[][] k, double[] v) {
        double out = 0;
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += k[i][j] * v[j];
            }
            out += v[i] * s;
        }
        return out;
    }
}
