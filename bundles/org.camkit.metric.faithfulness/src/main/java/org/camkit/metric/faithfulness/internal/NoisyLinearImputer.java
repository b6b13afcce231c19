package org.camkit.metric.faithfulness.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * ROAD's noisy linear imputation (Rong et al., "A Consistent and Efficient Evaluation Strategy for Attribution
 * Methods", ICML 2022, arXiv:2202.00449, sec. 4): every removed pixel takes the weighted mean of its in-image
 * 8-neighbours, with weight 1/6 for the 4 edge and 1/12 for the 4 diagonal neighbours, normalised by the weight of the
 * neighbours that lie inside the image; then Gaussian noise is added. Removed neighbours are unknowns, so this is one
 * sparse linear system per image, shared by all channels.
 *
 * <p>The system {@code (D - W) x = b} (D the in-image weight sums, W the weights between removed pixels, b the
 * weighted known neighbours) is symmetric and positive definite on every 8-connected group of removed pixels that
 * touches a known pixel, which is every group unless no pixel is known (a group's in-image neighbours outside it are
 * known, by maximality). It is solved matrix-free on the 8-neighbour stencil by conjugate gradients in double
 * precision, all channels at once, to a relative residual of {@value #TOLERANCE} per channel, preconditioned by an
 * aggregation multigrid V-cycle (Jacobi preconditioning needs ~30 times more iterations on large holes). With no known
 * pixel at all the values are undetermined (the reference's sparse LU warns and returns NaN): camkit gives every pixel
 * 0, the mean colour of normalised input.
 */
public final class NoisyLinearImputer {

    /** Relative residual {@code ||b - Ax|| / ||b||} at which a channel's solve stops. */
    static final double TOLERANCE = 1e-8;

    private static final int[] DY = {-1, -1, -1, 0, 0, 1, 1, 1};
    private static final int[] DX = {-1, 0, 1, -1, 1, -1, 0, 1};
    private static final double[] WEIGHT = {1.0 / 12, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 12};

    private NoisyLinearImputer() {
    }

    /**
     * Imputes the removed pixels of one image.
     *
     * @param image    the model input, {@code channels x height x width} row-major; not modified
     * @param channels number of channels, at least 1
     * @param height   image height, at least 1
     * @param width    image width, at least 1
     * @param keep     {@code keep[y * width + x]} is true where the pixel is known, false where it is removed
     * @param noise    standard deviation of the Gaussian noise added to every imputed value; 0 draws nothing
     * @param random   source of the noise, drawn channel by channel over the removed pixels in row-major order;
     *                 may be null when {@code noise} is 0
     * @return a new array: known pixels copied, removed pixels imputed (0 plus noise when no pixel is known)
     */
    public static float[] impute(float[] image, int channels, int height, int width, boolean[] keep, double noise,
            Random random) {
        validate(image, channels, height, width, keep, noise, random);
        float[] result = image.clone();
        int[] unknowns = removedPixels(keep);
        if (unknowns.length == keep.length) {
            Arrays.fill(result, 0f);
        } else if (unknowns.length > 0) {
            Level system = Level.pixels(channels, height, width, keep, unknowns);
            double[] solution = ConjugateGradient.solve(system,
                    Level.knownNeighbourSums(image, channels, height, width, keep, unknowns));
            for (int i = 0; i < unknowns.length; i++) {
                for (int c = 0; c < channels; c++) {
                    result[c * height * width + unknowns[i]] = (float) solution[i * channels + c];
                }
            }
        }
        addNoise(result, channels, keep, noise, random);
        return result;
    }

    private static void validate(float[] image, int channels, int height, int width, boolean[] keep, double noise,
            Random random) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width
                    + " must be at least 1x1x1");
        }
        if (image == null || image.length != (long) channels * height * width) {
            throw new IllegalArgumentException("image has " + (image == null ? "no" : image.length) + " values; shape "
                    + channels + "x" + height + "x" + width + " needs " + (long) channels * height * width);
        }
        if (keep == null || keep.length != height * width) {
            throw new IllegalArgumentException("keep mask has " + (keep == null ? "no" : keep.length)
                    + " entries; a " + height + "x" + width + " image needs " + height * width);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise " + noise + " must be a finite value >= 0");
        }
        if (noise > 0 && random == null) {
            throw new IllegalArgumentException("noise " + noise + " needs a Random; pass one or set noise to 0");
        }
    }

    /** The removed pixels, row-major. */
    private static int[] removedPixels(boolean[] keep) {
        int count = 0;
        for (boolean known : keep) {
            count += known ? 0 : 1;
        }
        int[] removed = new int[count];
        int n = 0;
        for (int p = 0; p < keep.length; p++) {
            if (!keep[p]) {
                removed[n++] = p;
            }
        }
        return removed;
    }

    private static void addNoise(float[] result, int channels, boolean[] keep, double noise, Random random) {
        if (noise == 0) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < keep.length; p++) {
                if (!keep[p]) {
                    result[c * keep.length + p] += (float) (noise * random.nextGaussian());
                }
            }
        }
    }

    /**
     * One level of the system: unknowns on a (possibly coarsened) grid, each with up to 8 grid neighbours in fixed
     * slots (ordered as {@code DY, DX}; an absent neighbour points at the dummy index {@code size} with weight 0).
     * Row i reads {@code diagonal[i] x_i - sum_k weight[8i+k] x_neighbour[8i+k]}. Vectors are interleaved over
     * channels, {@code v[i * channels + c]}, with {@code channels} trailing zeros for the dummy; {@code offset} is
     * {@code neighbour * channels}, where a neighbour's entries start in a vector.
     */
    static final class Level {
        final int size;
        final int channels;
        final int height;
        final int width;
        final int[] row;
        final int[] column;
        final int[] neighbour;
        final int[] offset;
        final double[] weight;
        final double[] diagonal;
        final double[] inverse;

        private Level(int size, int channels, int height, int width, int[] row, int[] column, int[] neighbour,
                double[] weight, double[] diagonal) {
            this.size = size;
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.row = row;
            this.column = column;
            this.neighbour = neighbour;
            this.weight = weight;
            this.diagonal = diagonal;
            this.offset = new int[neighbour.length];
            for (int k = 0; k < neighbour.length; k++) {
                offset[k] = neighbour[k] * channels;
            }
            this.inverse = new double[size];
            for (int i = 0; i < size; i++) {
                inverse[i] = 1 / diagonal[i];
            }
        }

        /** The pixel level: {@code unknowns} are row-major pixel indices of a {@code height x width} image. */
        static Level pixels(int channels, int height, int width, boolean[] keep, int[] unknowns) {
            int n = unknowns.length;
            int[] index = unknownIndex(keep.length, unknowns);
            int[] neighbour = new int[n * 8];
            double[] weight = new double[n * 8];
            double[] diagonal = new double[n];
            int[] row = new int[n];
            int[] column = new int[n];
            Arrays.fill(neighbour, n);
            for (int i = 0; i < n; i++) {
                int y = unknowns[i] / width;
                int x = unknowns[i] % width;
                row[i] = y;
                column[i] = x;
                for (int k = 0; k < 8; k++) {
                    int ny = y + DY[k];
                    int nx = x + DX[k];
                    if (ny >= 0 && ny < height && nx >= 0 && nx < width) {
                        diagonal[i] += WEIGHT[k];
                        if (!keep[ny * width + nx]) {
                            neighbour[i * 8 + k] = index[ny * width + nx];
                            weight[i * 8 + k] = WEIGHT[k];
                        }
                    }
                }
            }
            return new Level(n, channels, height, width, row, column, neighbour, weight, diagonal);
        }

        /** The right-hand sides: for each unknown and channel, the weighted sum of its known in-image neighbours. */
        static double[] knownNeighbourSums(float[] image, int channels, int height, int width, boolean[] keep,
                int[] unknowns) {
            double[] rhs = new double[(unknowns.length + 1) * channels];
            int plane = height * width;
            for (int i = 0; i < unknowns.length; i++) {
                int y = unknowns[i] / width;
                int x = unknowns[i] % width;
                for (int k = 0; k < 8; k++) {
                    int ny = y + DY[k];
                    int nx = x + DX[k];
                    int q = ny * width + nx;
                    if (ny >= 0 && ny < height && nx >= 0 && nx < width && keep[q]) {
                        for (int c = 0; c < channels; c++) {
                            rhs[i * channels + c] += WEIGHT[k] * image[c * plane + q];
                        }
                    }
                }
            }
            return rhs;
        }

        private static int[] unknownIndex(int cells, int[] unknowns) {
            int[] index = new int[cells];
            Arrays.fill(index, -1);
            for (int i = 0; i < unknowns.length; i++) {
                index[unknowns[i]] = i;
            }
            return index;
        }

        /**
         * The Galerkin coarse level {@code P^T A P} of 2x2 aggregation ({@code P} maps a coarse unknown to the
         * fine unknowns in its 2x2 cell); fills {@code parent[i]} with the coarse unknown of fine unknown i.
         */
        Level coarsen(int[] parent) {
            int coarseHeight = (height + 1) / 2;
            int coarseWidth = (width + 1) / 2;
            boolean[] used = new boolean[coarseHeight * coarseWidth];
            for (int i = 0; i < size; i++) {
                used[row[i] / 2 * coarseWidth + column[i] / 2] = true;
            }
            int count = 0;
            for (boolean u : used) {
                count += u ? 1 : 0;
            }
            int[] coarseRow = new int[count];
            int[] coarseColumn = new int[count];
            int[] index = new int[used.length];
            int m = 0;
            for (int y = 0; y < coarseHeight; y++) {
                for (int x = 0; x < coarseWidth; x++) {
                    if (used[y * coarseWidth + x]) {
                        coarseRow[m] = y;
                        coarseColumn[m] = x;
                        index[y * coarseWidth + x] = m++;
                    }
                }
            }
            for (int i = 0; i < size; i++) {
                parent[i] = index[row[i] / 2 * coarseWidth + column[i] / 2];
            }
            int[] coarseNeighbour = new int[count * 8];
            double[] coarseWeight = new double[count * 8];
            double[] coarseDiagonal = new double[count];
            Arrays.fill(coarseNeighbour, count);
            for (int i = 0; i < size; i++) {
                int from = parent[i];
                coarseDiagonal[from] += diagonal[i];
                for (int k = 0; k < 8; k++) {
                    int j = neighbour[i * 8 + k];
                    if (j == size) {
                        continue;
                    }
                    int to = parent[j];
                    if (to == from) {
                        coarseDiagonal[from] -= weight[i * 8 + k];
                    } else {
                        int slot = slot(coarseRow[to] - coarseRow[from], coarseColumn[to] - coarseColumn[from]);
                        coarseNeighbour[from * 8 + slot] = to;
                        coarseWeight[from * 8 + slot] += weight[i * 8 + k];
                    }
                }
            }
            return new Level(count, channels, coarseHeight, coarseWidth, coarseRow, coarseColumn, coarseNeighbour,
                    coarseWeight, coarseDiagonal);
        }

        private static int slot(int dy, int dx) {
            int k = (dy + 1) * 3 + dx + 1;
            return k < 4 ? k : k - 1;
        }

        /** {@code out = A v}, and {@code dots[c] = v_c . (A v)_c} for every channel c. */
        void multiply(double[] v, double[] out, double[] dots) {
            Arrays.fill(dots, 0);
            for (int i = 0; i < size; i++) {
                for (int c = 0; c < channels; c++) {
                    double sum = diagonal[i] * v[i * channels + c];
                    for (int k = i * 8; k < i * 8 + 8; k++) {
                        sum -= weight[k] * v[offset[k] + c];
                    }
                    out[i * channels + c] = sum;
                    dots[c] += v[i * channels + c] * sum;
                }
            }
        }

        /** {@code out = b - A v}. */
        void residual(double[] b, double[] v, double[] out) {
            for (int i = 0; i < size; i++) {
                for (int c = 0; c < channels; c++) {
                    double sum = b[i * channels + c] - diagonal[i] * v[i * channels + c];
                    for (int k = i * 8; k < i * 8 + 8; k++) {
                        sum += weight[k] * v[offset[k] + c];
                    }
                    out[i * channels + c] = sum;
                }
            }
        }

        /** One Gauss-Seidel sweep for {@code A v = b}, in place, forward or backward over the unknowns. */
        void gaussSeidel(double[] b, double[] v, boolean forward) {
            for (int step = 0; step < size; step++) {
                int i = forward ? step : size - 1 - step;
                for (int c = 0; c < channels; c++) {
                    double sum = b[i * channels + c];
                    for (int k = i * 8; k < i * 8 + 8; k++) {
                        sum += weight[k] * v[offset[k] + c];
                    }
                    v[i * channels + c] = sum * inverse[i];
                }
            }
        }
    }

    /**
     * A symmetric V-cycle of aggregation multigrid (2x2 cells, Galerkin coarse levels), the preconditioner of
     * {@link ConjugateGradient}: forward Gauss-Seidel before and backward after each coarse correction, symmetric
     * sweeps on the coarsest level. Symmetric and positive definite for any positive correction scale; the scale
     * 1.7 makes up for piecewise-constant interpolation (with 1, CG needs twice as many iterations at 224x224).
     */
    static final class Multigrid {
        private static final int COARSEST = 64;
        private static final int COARSEST_SWEEPS = 8;
        private static final double CORRECTION = 1.7;

        private final Level[] levels;
        private final int[][] parents;
        private final double[][] rhs;
        private final double[][] solution;
        private final double[][] residual;

        /** Builds the hierarchy below {@code fine} and the work vectors of every level. */
        Multigrid(Level fine) {
            List<Level> built = new ArrayList<>();
            List<int[]> links = new ArrayList<>();
            built.add(fine);
            Level level = fine;
            while (level.size > COARSEST) {
                int[] parent = new int[level.size];
                Level coarse = level.coarsen(parent);
                if (coarse.size == level.size) {
                    break;
                }
                links.add(parent);
                built.add(coarse);
                level = coarse;
            }
            levels = built.toArray(new Level[0]);
            parents = links.toArray(new int[0][]);
            rhs = new double[levels.length][];
            solution = new double[levels.length][];
            residual = new double[levels.length][];
            for (int l = 0; l < levels.length; l++) {
                int length = (levels[l].size + 1) * fine.channels;
                rhs[l] = new double[length];
                solution[l] = new double[length];
                residual[l] = new double[length];
            }
        }

        /** {@code z = B r}, B the V-cycle's approximation of {@code A^-1}. */
        void apply(double[] r, double[] z) {
            System.arraycopy(r, 0, rhs[0], 0, r.length);
            cycle(0);
            System.arraycopy(solution[0], 0, z, 0, z.length);
        }

        private void cycle(int l) {
            Level level = levels[l];
            double[] b = rhs[l];
            double[] v = solution[l];
            Arrays.fill(v, 0);
            if (l == levels.length - 1) {
                for (int sweep = 0; sweep < COARSEST_SWEEPS; sweep++) {
                    level.gaussSeidel(b, v, true);
                    level.gaussSeidel(b, v, false);
                }
                return;
            }
            level.gaussSeidel(b, v, true);
            level.residual(b, v, residual[l]);
            int channels = level.channels;
            int[] parent = parents[l];
            double[] coarseRhs = rhs[l + 1];
            Arrays.fill(coarseRhs, 0);
            for (int i = 0; i < level.size; i++) {
                for (int c = 0; c < channels; c++) {
                    coarseRhs[parent[i] * channels + c] += residual[l][i * channels + c];
                }
            }
            cycle(l + 1);
            double[] coarse = solution[l + 1];
            for (int i = 0; i < level.size; i++) {
                for (int c = 0; c < channels; c++) {
                    v[i * channels + c] += CORRECTION * coarse[parent[i] * channels + c];
                }
            }
            level.gaussSeidel(b, v, false);
        }
    }

    /** Conjugate gradients preconditioned by {@link Multigrid}, on all channels of a {@link Level} at once. */
    static final class ConjugateGradient {
        /**
         * A safety stop far above the 5-25 iterations measured at 224x224 (one known pixel, known border only,
         * checkerboard, random and smooth 80-99% masks); reaching it means the system is not positive definite.
         */
        private static final int MAX_ITERATIONS = 1000;

        private ConjugateGradient() {
        }

        /** Solves {@code A x = b} on the level; returns the interleaved solution {@code x[i * channels + c]}. */
        static double[] solve(Level system, double[] b) {
            int channels = system.channels;
            int length = (system.size + 1) * channels;
            Multigrid preconditioner = new Multigrid(system);
            double[] x = new double[length];
            double[] r = b.clone();
            double[] z = new double[length];
            double[] p = new double[length];
            double[] q = new double[length];
            double[] rz = new double[channels];
            double[] limit = new double[channels];
            double[] rr = new double[channels];
            double[] pq = new double[channels];
            double[] step = new double[channels];
            double[] nextRz = new double[channels];
            boolean[] active = new boolean[channels];
            preconditioner.apply(r, z);
            int running = 0;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < system.size; i++) {
                    rz[c] += r[i * channels + c] * z[i * channels + c];
                    limit[c] += r[i * channels + c] * r[i * channels + c];
                }
                limit[c] *= TOLERANCE * TOLERANCE;
                active[c] = limit[c] > 0;
                running += active[c] ? 1 : 0;
            }
            System.arraycopy(z, 0, p, 0, length);
            for (int iteration = 0; running > 0; iteration++) {
                if (iteration == MAX_ITERATIONS) {
                    throw new IllegalStateException("ROAD imputation: conjugate gradients did not reach relative "
                            + "residual " + TOLERANCE + " in " + MAX_ITERATIONS + " iterations for " + system.size
                            + " unknowns");
                }
                system.multiply(p, q, pq);
                for (int c = 0; c < channels; c++) {
                    step[c] = active[c] ? rz[c] / pq[c] : 0;
                }
                Arrays.fill(rr, 0);
                for (int at = 0; at < system.size * channels; at += channels) {
                    for (int c = 0; c < channels; c++) {
                        x[at + c] += step[c] * p[at + c];
                        r[at + c] -= step[c] * q[at + c];
                        rr[c] += r[at + c] * r[at + c];
                    }
                }
                preconditioner.apply(r, z);
                Arrays.fill(nextRz, 0);
                for (int at = 0; at < system.size * channels; at += channels) {
                    for (int c = 0; c < channels; c++) {
                        nextRz[c] += r[at + c] * z[at + c];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    if (active[c] && rr[c] <= limit[c]) {
                        active[c] = false;
                        running--;
                    }
                    step[c] = active[c] ? nextRz[c] / rz[c] : 0;
                    rz[c] = nextRz[c];
                }
                for (int at = 0; at < system.size * channels; at += channels) {
                    for (int c = 0; c < channels; c++) {
                        p[at + c] = active[c] ? z[at + c] + step[c] * p[at + c] : 0;
                    }
                }
            }
            return x;
        }
    }
}
