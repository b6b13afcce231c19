package org.camkit.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.camkit.api.CamException;
import org.camkit.api.Detection;

/**
 * How a detector's output holds its boxes, and the one place that turns an output into detections: the rows above
 * the score threshold, then per-class greedy non-maximum suppression, by descending score. Read from the
 * {@code "detection"} object of a model descriptor ({@code "task": "detection"}); the output of one image is
 * {@code [K, columns]}, one row per candidate box, boxes in the model's input pixels, clipped to the input image
 * before suppression (as detectors' post-processing does):
 * <ul>
 * <li>{@value #OBJECTNESS_CLASSES}: {@code x0, y0, x1, y1, objectness, p_0 .. p_{C-1}} (C = the labels), as
 * YOLO-style heads give before suppression; a row's score is {@code objectness * max_c p_c}, its class the argmax;
 * <li>{@value #SCORE_LABEL}: {@code x0, y0, x1, y1, score, class index}, as detectors that decode (and often
 * suppress) themselves give.</li>
 * </ul>
 *
 * @param layout         {@value #OBJECTNESS_CLASSES} or {@value #SCORE_LABEL}
 * @param scoreThreshold a row is a detection when its score is above this, in [0, 1]
 * @param nmsIou         a detection is dropped when its IoU with a higher-scoring kept one of the same class is above
 *                       this, in [0, 1]; 1 keeps every row (for models that suppress themselves)
 * @since 1.4
 */
public record DetectionLayout(String layout, float scoreThreshold, float nmsIou) {

    /** Boxes, objectness and one probability per class. */
    public static final String OBJECTNESS_CLASSES = "xyxy-objectness-classes";
    /** Boxes, score and class index. */
    public static final String SCORE_LABEL = "xyxy-score-label";
    /** The layouts. */
    public static final List<String> LAYOUTS = List.of(OBJECTNESS_CLASSES, SCORE_LABEL);
    /** The default score threshold. */
    public static final float SCORE_THRESHOLD = 0.25f;
    /** The default suppression IoU. */
    public static final float NMS_IOU = 0.45f;

    /** Validates. */
    public DetectionLayout {
        if (!LAYOUTS.contains(layout)) {
            throw new IllegalArgumentException("detection layout '" + layout + "' is not one of " + LAYOUTS);
        }
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new IllegalArgumentException("detection scoreThreshold must be in [0, 1], got " + scoreThreshold);
        }
        if (!(nmsIou >= 0 && nmsIou <= 1)) {
            throw new IllegalArgumentException("detection nmsIou must be in [0, 1], got " + nmsIou);
        }
    }

    /**
     * Checks one image's output shape against the layout.
     *
     * @param shape one image's output shape
     * @param model the detector
     * @return the number of columns of a row
     * @throws CamException naming the model, both shapes and the fix
     */
    public int columns(int[] shape, ModelDescriptor model) {
        int labels = model.labels().size();
        boolean fits = shape.length == 2 && switch (layout) {
            case OBJECTNESS_CLASSES -> labels == 0 ? shape[1] > 5 : shape[1] == 5 + labels;
            default -> shape[1] == 6;
        };
        if (!fits) {
            String expected = layout.equals(SCORE_LABEL) ? "[K, 6] (x0, y0, x1, y1, score, class)"
                    : "[K, " + (labels == 0 ? "5 + C" : 5 + labels) + "] (x0, y0, x1, y1, objectness, "
                            + (labels == 0 ? "C class probabilities" : "one probability per label " + model.labels())
                            + ")";
            throw new CamException("model '" + model.name() + "': its descriptor's detection layout '" + layout
                    + "' needs outputs " + expected + " per image, but the model outputs " + Arrays.toString(shape)
                    + "; fix \"detection\": {\"layout\"} (one of " + LAYOUTS + ") or the labels in its descriptor");
        }
        return shape[1];
    }

    /**
     * @param output  one image's output
     * @param row     a row
     * @param columns the row's length
     * @return the row's score
     */
    public float score(float[] output, int row, int columns) {
        int at = row * columns;
        return layout.equals(SCORE_LABEL) ? output[at + 4] : output[at + 4] * output[at + 5 + classOf(output, row,
                columns)];
    }

    /**
     * @param output  one image's output
     * @param row     a row
     * @param columns the row's length
     * @return the row's class index (for {@value #SCORE_LABEL}, its class column rounded; may be out of range)
     */
    public int classOf(float[] output, int row, int columns) {
        int at = row * columns;
        if (layout.equals(SCORE_LABEL)) {
            return Math.round(output[at + 5]);
        }
        int best = 0;
        for (int c = 1; c < columns - 5; c++) {
            if (output[at + 5 + c] > output[at + 5 + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Adds {@code weight} times the gradient of a row's {@link #score} with respect to the output to {@code seed}.
     *
     * @param output  one image's output
     * @param row     the row
     * @param columns the row's length
     * @param weight  the factor
     * @param seed    the gradient being built, shaped like {@code output}
     */
    public void addScoreGradient(float[] output, int row, int columns, float weight, float[] seed) {
        int at = row * columns;
        if (layout.equals(SCORE_LABEL)) {
            seed[at + 4] += weight;
        } else {
            int c = classOf(output, row, columns);
            seed[at + 4] += weight * output[at + 5 + c];
            seed[at + 5 + c] += weight * output[at + 4];
        }
    }

    /**
     * The detections: rows scoring above the threshold, suppressed per class, by descending score.
     *
     * @param output one image's output
     * @param shape  its shape, {@code [K, columns]}
     * @param model  the detector (for the labels)
     * @return the kept rows' indices, best first
     * @throws CamException if the shape does not fit the layout, or a detection's class is not one of the model's or
     *                      its box is not finite
     */
    public int[] keep(float[] output, int[] shape, ModelDescriptor model) {
        int columns = columns(shape, model);
        int rows = shape[0];
        int classes = layout.equals(SCORE_LABEL) ? model.labels().size() : columns - 5;
        List<Integer> candidates = new ArrayList<>();
        float[] boxes = new float[rows * 4];
        float[] scores = new float[rows];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            scores[r] = score(output, r, columns);
            if (scores[r] > scoreThreshold) {
                labels[r] = classOf(output, r, columns);
                if (labels[r] < 0 || classes > 0 && labels[r] >= classes) {
                    throw new CamException("model '" + model.name() + "': output row " + r + " names class "
                            + output[r * columns + 5] + ", not one of its " + classes + " labels " + model.labels());
                }
                for (int i = 0; i < 4; i++) {
                    if (!Float.isFinite(output[r * columns + i])) {
                        throw new CamException("model '" + model.name() + "': output row " + r + " (score " + scores[r]
                                + ") has a box that is not finite: " + Arrays.toString(Arrays.copyOfRange(output,
                                        r * columns, r * columns + 4)));
                    }
                }
                System.arraycopy(box(output, r, columns, model), 0, boxes, r * 4, 4);
                candidates.add(r);
            }
        }
        int[] order = candidates.stream().sorted(Comparator.comparingDouble((Integer r) -> -scores[r])
                .thenComparingInt(r -> r)).mapToInt(Integer::intValue).toArray();
        return suppress(order, boxes, labels, nmsIou);
    }

    /**
     * @param output one image's output
     * @param shape  its shape
     * @param model  the detector
     * @return its detections, best first, in the model's input pixels
     */
    public List<Detection> decode(float[] output, int[] shape, ModelDescriptor model) {
        int columns = columns(shape, model);
        return Arrays.stream(keep(output, shape, model)).mapToObj(r -> detection(output, r, columns, model)).toList();
    }

    /**
     * @param output  one image's output
     * @param row     a row
     * @param columns the row's length
     * @param model   the detector (its input size)
     * @return the row's box {@code x0, y0, x1, y1} clipped to the model's input image
     */
    public float[] box(float[] output, int row, int columns, ModelDescriptor model) {
        int at = row * columns;
        return new float[] {clip(output[at], model.inputWidth()), clip(output[at + 1], model.inputHeight()),
            clip(output[at + 2], model.inputWidth()), clip(output[at + 3], model.inputHeight())};
    }

    private static float clip(float v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    /**
     * @param output  one image's output
     * @param row     a row
     * @param columns the row's length
     * @param model   the detector
     * @return the row as a detection, its box {@linkplain #box clipped} (and its corners ordered, so that a
     *         degenerate box never fails)
     */
    public Detection detection(float[] output, int row, int columns, ModelDescriptor model) {
        int c = classOf(output, row, columns);
        float[] b = box(output, row, columns, model);
        return new Detection(c, model.label(c), score(output, row, columns), Math.min(b[0], b[2]),
                Math.min(b[1], b[3]), Math.max(b[0], b[2]), Math.max(b[1], b[3]), false);
    }

    /**
     * Greedy non-maximum suppression per class.
     *
     * @param order  candidate rows, best first
     * @param boxes  {@code x0, y0, x1, y1} per row
     * @param labels the class per row
     * @param iou    a candidate is dropped when its IoU with a kept row of its class is above this
     * @return the kept rows, in {@code order}'s order
     */
    public static int[] suppress(int[] order, float[] boxes, int[] labels, float iou) {
        List<Integer> kept = new ArrayList<>();
        for (int r : order) {
            boolean overlaps = false;
            for (int k : kept) {
                if (labels[k] == labels[r] && iou(boxes, r * 4, boxes, k * 4) > iou) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(r);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param a  boxes {@code x0, y0, x1, y1}
     * @param at the first box's offset in {@code a}
     * @param b  boxes
     * @param bt the second box's offset in {@code b}
     * @return the boxes' intersection over union, 0 when both are empty
     */
    public static float iou(float[] a, int at, float[] b, int bt) {
        float w = Math.max(0, Math.min(a[at + 2], b[bt + 2]) - Math.max(a[at], b[bt]));
        float h = Math.max(0, Math.min(a[at + 3], b[bt + 3]) - Math.max(a[at + 1], b[bt + 1]));
        float inter = w * h;
        float union = (a[at + 2] - a[at]) * (a[at + 3] - a[at + 1]) + (b[bt + 2] - b[bt]) * (b[bt + 3] - b[bt + 1])
                - inter;
        return union > 0 ? inter / union : 0;
    }
}
