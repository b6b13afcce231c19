package org.camkit.metric.faithfulness.internal;

import java.util.Arrays;

/**
 * One level of the {@link NoisyLinearImputer}'s linear system: unknowns on a (possibly coarsened) grid, each with up
 * to 8 grid neighbours in fixed slots (ordered as {@code DY, DX}; an absent neighbour points at the dummy index
 * {@code size} with weight 0). Row i reads {@code diagonal[i] x_i - sum_k weight[8i+k] x_neighbour[8i+k]}. Vectors are
 * interleaved over channels, {@code v[i * channels + c]}, with {@code channels} trailing zeros for the dummy;
 * {@code offset} is {@code neighbour * channels}, where a neighbour's entries start in a vector.
 */
final class ImputationLevel {
    private static final int[] DY = {-1, -1, -1, 0, 0, 1, 1, 1};
    private static final int[] DX = {-1, 0, 1, -1, 1, -1, 0, 1};
    private static final double[] WEIGHT = {1.0 / 12, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 12};

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

    private ImputationLevel(int size, int channels, int height, int width, int[] row, int[] column, int[] neighbour,
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
    static ImputationLevel pixels(int channels, int height, int width, boolean[] keep, int[] unknowns) {
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
        return new ImputationLevel(n, channels, height, width, row, column, neighbour, weight, diagonal);
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
    ImputationLevel coarsen(int[] parent) {
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
        return new ImputationLevel(count, channels, coarseHeight, coarseWidth, coarseRow, coarseColumn, coarseNeighbour,
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
