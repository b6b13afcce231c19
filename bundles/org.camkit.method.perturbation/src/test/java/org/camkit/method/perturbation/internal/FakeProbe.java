package org.camkit.method.perturbation.internal;

import java.util.Optional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.InputGradients;
import org.camkit.spi.LinearHead;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.ModelProbe;
import org.camkit.spi.Tensor;

/** A model probe whose scores come from plain Java functions of one row; it records what it was asked. */
final class FakeProbe implements ModelProbe {

    /** Scores one row: the image index and the row's values. */
    interface RowScore {
        double score(int image, float[] row);
    }

    private final Tensor input;
    private final RowScore inputScore;
    private final RowScore layerScore;
    final List<Integer> batchSizes = new ArrayList<>();
    final List<float[]> layerRows = new ArrayList<>();
    final List<int[]> progress = new ArrayList<>();
    int cancelAfter = Integer.MAX_VALUE;

    FakeProbe(Tensor input, RowScore inputScore, RowScore layerScore) {
        this.input = input;
        this.inputScore = inputScore;
        this.layerScore = layerScore;
    }

    /** A score linear in the row's values: {@code sum_j v[j] * row[j] + bias}. */
    static RowScore linear(float[] v, double bias) {
        return (image, row) -> {
            double sum = bias;
            for (int j = 0; j < row.length; j++) {
                sum += v[j] * row[j];
            }
            return sum;
        };
    }

    /** A GAP + linear head on {@code [C, area]} rows: {@code sum_k w[k] * mean(A_k) + bias}. */
    static RowScore gapLinear(float[] w, double bias, int area) {
        return (image, row) -> {
            double sum = bias;
            for (int k = 0; k < w.length; k++) {
                double mean = 0;
                for (int p = 0; p < area; p++) {
                    mean += row[k * area + p];
                }
                sum += w[k] * mean / area;
            }
            return sum;
        };
    }

    @Override
    public ModelDescriptor model() {
        return new ModelDescriptor("fake", "fake", Path.of("/fake"), "", input.dim(3), input.dim(2),
                new float[] {0, 0, 0}, new float[] {1, 1, 1}, List.of(), "layer", Map.of());
    }


    @Override
    public Tensor input() {
        return input;
    }

    @Override
    public float[] seed(int image) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] scoreInputs(int image, Tensor inputs) {
        batchSizes.add(inputs.dim(0));
        return score(image, inputs, inputScore, false);
    }

    @Override
    public float[] scoreFromLayer(int image, String layer, Tensor activations) {
        batchSizes.add(activations.dim(0));
        return score(image, activations, layerScore, true);
    }

    private float[] score(int image, Tensor batch, RowScore f, boolean record) {
        int rows = batch.dim(0), size = batch.size() / rows;
        float[] data = batch.toArray();
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            float[] row = new float[size];
            System.arraycopy(data, r * size, row, 0, size);
            if (record) {
                layerRows.add(row);
            }
            out[r] = (float) f.score(image, row);
        }
        return out;
    }

    @Override
    public InputGradients inputGradients() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Tensor guidedGradients() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<LinearHead> linearHead() {
        return Optional.empty();
    }

    @Override
    public void progress(int done, int total) {
        progress.add(new int[] {done, total});
        if (progress.size() >= cancelAfter) {
            throw new CamException("cancelled");
        }
    }
}
