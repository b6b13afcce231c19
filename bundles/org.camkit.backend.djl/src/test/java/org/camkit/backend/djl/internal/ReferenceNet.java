package org.camkit.backend.djl.internal;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import java.util.Random;

// The tiny net conv1(2->3, 3x3) relu1 flatten fc1(12->4) relu2 fc2(4->3), all biased, input [2, 4, 4], in plain
// Java double: forward and a written-out backward (plain, or guided ReLUs g * [x > 0] * [g > 0]).
final class ReferenceNet {

    static final int IN = 2, SIZE = 4, C = 3, H = 2, F = C * H * H, U = 4, K = 3;

    final float[] convW = new float[C * IN * 9], convB = new float[C];
    final float[] fc1W = new float[U * F], fc1B = new float[U], fc2W = new float[K * U], fc2B = new float[K];

    ReferenceNet(long seed) {
        Random random = new Random(seed);
        for (float[] p : new float[][] {convW, convB, fc1W, fc1B, fc2W, fc2B}) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) random.nextGaussian() * 0.5f;
            }
        }
    }

    /** @return the DJL network with these parameters, not yet initialised */
    static Architectures.Network network() {
        return TestNets.network("conv1", TestNets.conv(C, 3, 0), "relu1", Activation.reluBlock(),
                "flatten", Blocks.batchFlattenBlock(), "fc1", TestNets.linear(U), "relu2", Activation.reluBlock(),
                "fc2", TestNets.linear(K));
    }

    /** Copies these parameters into an initialised {@link #network()}. */
    void setInto(Architectures.Network network) {
        BlockModels.setParameter(network, "conv1", "weight", convW);
        BlockModels.setParameter(network, "conv1", "bias", convB);
        BlockModels.setParameter(network, "fc1", "weight", fc1W);
        BlockModels.setParameter(network, "fc1", "bias", fc1B);
        BlockModels.setParameter(network, "fc2", "weight", fc2W);
        BlockModels.setParameter(network, "fc2", "bias", fc2B);
    }

    /** @return conv1's output {@code [C, H, H]} flattened, for one image {@code x [IN, SIZE, SIZE]} */
    double[] conv(double[] x) {
        double[] z = new double[F];
        for (int o = 0; o < C; o++) {
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < H; j++) {
                    double sum = convB[o];
                    for (int c = 0; c < IN; c++) {
                        for (int d = 0; d < 9; d++) {
                            sum += convW[(o * IN + c) * 9 + d] * x[(c * SIZE + i + d / 3) * SIZE + j + d % 3];
                        }
                    }
                    z[(o * H + i) * H + j] = sum;
                }
            }
        }
        return z;
    }

    static double[] linear(float[] w, float[] b, double[] x) {
        double[] y = new double[b.length];
        for (int k = 0; k < b.length; k++) {
            y[k] = b[k];
            for (int p = 0; p < x.length; p++) {
                y[k] += w[k * x.length + p] * x[p];
            }
        }
        return y;
    }

    static double[] relu(double[] z) {
        double[] a = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            a[i] = Math.max(0, z[i]);
        }
        return a;
    }

    double[] output(double[] x) {
        return linear(fc2W, fc2B, relu(linear(fc1W, fc1B, relu(conv(x)))));
    }

    /** @return d(seed . output)/dx for one image */
    double[] inputGradient(double[] x, double[] seed, boolean guided) {
        double[] z1 = conv(x);
        double[] z2 = linear(fc1W, fc1B, relu(z1));
        double[] g2 = reluBack(z2, transposed(fc2W, seed, U), guided);
        double[] g1 = reluBack(z1, transposed(fc1W, g2, F), guided);
        double[] gx = new double[IN * SIZE * SIZE];
        for (int o = 0; o < C; o++) {
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < H; j++) {
                    for (int c = 0; c < IN; c++) {
                        for (int d = 0; d < 9; d++) {
                            gx[(c * SIZE + i + d / 3) * SIZE + j + d % 3] +=
                                    g1[(o * H + i) * H + j] * convW[(o * IN + c) * 9 + d];
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** @return {@code w^T g} for {@code w [g.length, inputs]} */
    private static double[] transposed(float[] w, double[] g, int inputs) {
        double[] out = new double[inputs];
        for (int k = 0; k < g.length; k++) {
            for (int p = 0; p < inputs; p++) {
                out[p] += w[k * inputs + p] * g[k];
            }
        }
        return out;
    }

    private static double[] reluBack(double[] z, double[] g, boolean guided) {
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = z[i] > 0 && (!guided || g[i] > 0) ? g[i] : 0;
        }
        return out;
    }
}
