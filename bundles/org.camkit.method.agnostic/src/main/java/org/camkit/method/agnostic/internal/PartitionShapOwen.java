package org.camkit.method.agnostic.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The Owen values of one image over shap's axis-aligned partition, refined best first under a budget of model
 * evaluations: shap's {@code PartitionExplainer.owen} ({@code shap/explainers/_partition.py}, fixed_context None) on
 * the tree of {@code maskers.Image.build_partition_tree}.
 *
 * <p>The tree: a cell of {@code rows x cols x channels} values splits its rows when {@code rows >= cols}, else its
 * columns, and its channels only once it is one pixel, into a first part of {@code ceil(n / 2)} and a last part of
 * {@code floor(n / 2)} (the "left" half), down to single values. That is the tree shap's masks see:
 * {@code build_partition_tree} splits at {@code floor(n / 2)}, but refers to the leaf of feature {@code -ind - 1} as
 * {@code ind + M}, numbering the leaves in reverse raster order, so every cell it masks is the point reflection of
 * the cell it built (the same cells for sides that halve evenly).
 *
 * <p>A visit of a cell carries a context (the coalition of cells present), the scores {@code f00} of the context and
 * {@code f11} of the context with the cell, and a weight. Refining it scores the context with the left half
 * ({@code f10}) and with the right half ({@code f01}) and queues four visits of the halves, each with half the weight:
 * left and right in the context ({@code f00 -> f10}, {@code f00 -> f01}) and each in the context with the other half
 * ({@code f01 -> f11}, {@code f10 -> f11}), which is the Shapley value of the two-player game of the halves (Owen,
 * 1977; Lundberg and Lee, 2017). A queue ordered by {@code -|f11 - f00| * weight} (float, as shap computes it; ties
 * first in, first out, where shap draws at random) picks the visits to refine. A round takes visits until it holds
 * {@code floor(batch / 2)} of them or the budget is reached, and scores their halves in one forward pass, so, as in
 * shap, the batch size decides which visits a limited budget refines. Once no visit fits the budget, each visit left
 * (and each leaf) credits {@code (f11 - f00) * weight} to its cell, spread evenly over the cell's values. The credits
 * telescope: they sum to {@code f(x) - f(baseline)} (efficiency), exactly here, where they are added in double (shap
 * adds float32 differences). For an even budget and batch size the rounds are shap's; for odd ones camkit stays within
 * both, where shap may score one image more than either.
 */
final class PartitionShapOwen {

    /** Scores {@code count} masked copies {@code [count, C, H, W]} of the image. */
    @FunctionalInterface
    interface Model {
        float[] score(float[] rows, int count);
    }

    /** Writes one masked copy of the image. */
    @FunctionalInterface
    interface Masker {
        /**
         * @param present per value {@code [C, H, W]}, whether the coalition keeps it from the image
         * @param rows    the copies being built
         * @param offset  where this copy starts in {@code rows}
         */
        void write(boolean[] present, float[] rows, int offset);

        /**
         * @param image      the image {@code [C, H, W]}
         * @param background the image with every value masked (blurred, or a colour)
         * @return the masker that shows the background where a value is masked
         */
        static Masker over(float[] image, float[] background) {
            return (present, rows, offset) -> {
                for (int v = 0; v < present.length; v++) {
                    rows[offset + v] = present[v] ? image[v] : background[v];
                }
            };
        }
    }

    /**
     * @param values per-pixel Owen values {@code [H * W]}, the sum over the pixel's channels
     * @param fx     the score of the image
     * @param fBaseline the score of the background (every cell masked)
     * @param evals  the masked copies scored, both of those included
     */
    record Result(float[] values, float fx, float fBaseline, int evals) {
    }

    /** Rows {@code [y0, y1)}, columns {@code [x0, x1)}, channels {@code [c0, c1)}. */
    record Box(int y0, int y1, int x0, int x1, int c0, int c1) {

        int pixels() {
            return (y1 - y0) * (x1 - x0);
        }

        boolean leaf() {
            return y1 - y0 == 1 && x1 - x0 == 1 && c1 - c0 == 1;
        }

        /**
         * @return the left and right halves: the last {@code floor(n / 2)} rows (when {@code rows >= cols}, else
         *         columns, else channels) and the first {@code ceil(n / 2)}, the cells shap's masks see
         */
        Box[] split() {
            int rows = y1 - y0, cols = x1 - x0;
            if (rows >= cols && rows > 1) {
                int mid = y1 - rows / 2;
                return new Box[] {new Box(mid, y1, x0, x1, c0, c1), new Box(y0, mid, x0, x1, c0, c1)};
            }
            if (cols > 1) {
                int mid = x1 - cols / 2;
                return new Box[] {new Box(y0, y1, mid, x1, c0, c1), new Box(y0, y1, x0, mid, c0, c1)};
            }
            int mid = c1 - (c1 - c0) / 2;
            return new Box[] {new Box(y0, y1, x0, x1, mid, c1), new Box(y0, y1, x0, x1, c0, mid)};
        }
    }

    /** The cells present besides the one visited, as a shared linked list (null: none). */
    private record Coalition(Box box, Coalition rest) {
    }

    private record Visit(Box cell, Coalition context, float f00, float f11, double weight) {
    }

    private record Queued(float priority, long order, Visit visit) {
    }

    private final int size;
    private final Masker masker;
    private final int channels;
    private final int height;
    private final int width;
    private final Model model;
    private final PriorityQueue<Queued> queue = new PriorityQueue<>(
            Comparator.comparingDouble(Queued::priority).thenComparingLong(Queued::order));
    private final Map<Box, Double> credits = new LinkedHashMap<>();
    private long queued;

    private PartitionShapOwen(Masker masker, int channels, int height, int width, Model model) {
        this.size = channels * height * width;
        this.masker = masker;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.model = model;
    }

    /**
     * @param masker     writes the masked copies of the image {@code [C, H, W]}
     * @param channels   C
     * @param height     H
     * @param width      W
     * @param maxEvals   the most masked copies to score, at least 2 (the image and the background)
     * @param batch      the most copies per forward pass, at least 2
     * @param model      scores copies
     * @return the values
     */
    static Result explain(Masker masker, int channels, int height, int width, int maxEvals, int batch, Model model) {
        return new PartitionShapOwen(masker, channels, height, width, model).run(maxEvals, batch);
    }

    private Result run(int maxEvals, int batch) {
        float[] ends = new float[2 * size];
        boolean[] all = new boolean[size];
        masker.write(all, ends, 0);
        java.util.Arrays.fill(all, true);
        masker.write(all, ends, size);
        float[] f = model.score(ends, 2);
        int evals = 2;
        push(new Visit(new Box(0, height, 0, width, 0, channels), null, f[0], f[1], 1.0), 0f);
        while (!queue.isEmpty()) {
            if (evals + 2 > maxEvals) {
                while (!queue.isEmpty()) {
                    credit(queue.poll().visit());
                }
                break;
            }
            List<Visit> round = new ArrayList<>();
            while (!queue.isEmpty() && 2 * round.size() + 2 <= batch && evals + 2 * round.size() + 2 <= maxEvals) {
                Visit v = queue.poll().visit();
                if (v.cell().leaf()) {
                    credit(v);
                } else {
                    round.add(v);
                }
            }
            if (round.isEmpty()) {
                continue;
            }
            float[] rows = new float[2 * round.size() * size];
            for (int k = 0; k < round.size(); k++) {
                Visit v = round.get(k);
                Box[] halves = v.cell().split();
                mask(rows, 2 * k, new Coalition(halves[0], v.context()));
                mask(rows, 2 * k + 1, new Coalition(halves[1], v.context()));
            }
            float[] scores = model.score(rows, 2 * round.size());
            evals += 2 * round.size();
            for (int k = 0; k < round.size(); k++) {
                Visit v = round.get(k);
                Box[] halves = v.cell().split();
                float f10 = scores[2 * k], f01 = scores[2 * k + 1];
                double half = v.weight() / 2;
                Coalition withLeft = new Coalition(halves[0], v.context());
                Coalition withRight = new Coalition(halves[1], v.context());
                push(new Visit(halves[0], v.context(), v.f00(), f10, half), priority(f10, v.f00(), half));
                push(new Visit(halves[1], v.context(), v.f00(), f01, half), priority(f01, v.f00(), half));
                push(new Visit(halves[0], withRight, f01, v.f11(), half), priority(v.f11(), f01, half));
                push(new Visit(halves[1], withLeft, f10, v.f11(), half), priority(v.f11(), f10, half));
            }
        }
        return new Result(spread(), f[1], f[0], evals);
    }

    /** shap's {@code -np.max(np.abs(f11 - f00)) * new_weight} on float32 scores. */
    private static float priority(float f11, float f00, double weight) {
        return -Math.abs(f11 - f00) * (float) weight;
    }

    private void push(Visit v, float priority) {
        queue.add(new Queued(priority, queued++, v));
    }

    private void credit(Visit v) {
        credits.merge(v.cell(), ((double) v.f11() - v.f00()) * v.weight(), Double::sum);
    }

    /** Writes row {@code r}: the masker's copy in which the coalition's cells are present. */
    private void mask(float[] rows, int r, Coalition present) {
        int plane = height * width;
        boolean[] kept = new boolean[size];
        for (Coalition c = present; c != null; c = c.rest()) {
            Box b = c.box();
            for (int ch = b.c0(); ch < b.c1(); ch++) {
                for (int y = b.y0(); y < b.y1(); y++) {
                    int from = ch * plane + y * width + b.x0();
                    java.util.Arrays.fill(kept, from, from + b.x1() - b.x0(), true);
                }
            }
        }
        masker.write(kept, rows, r * size);
    }

    /** Each cell's credit spread evenly over its values; a pixel's value is the sum over its channels. */
    private float[] spread() {
        double[] sum = new double[height * width];
        credits.forEach((b, value) -> {
            double share = value / b.pixels();
            for (int y = b.y0(); y < b.y1(); y++) {
                for (int x = b.x0(); x < b.x1(); x++) {
                    sum[y * width + x] += share;
                }
            }
        });
        float[] out = new float[sum.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = (float) sum[p];
        }
        return out;
    }
}
