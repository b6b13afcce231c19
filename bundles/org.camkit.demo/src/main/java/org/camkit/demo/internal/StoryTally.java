package org.camkit.demo.internal;

/**
 * Accumulates, over held-out scenes, what a model predicted and where its class activation map peaks, and turns
 * that into the figures of the biased-duck story. Not thread-safe.
 */
public final class StoryTally {

    /** Where a map's largest value lies. */
    public enum Peak { DUCK, CREATURE, ELSEWHERE }

    private final int margin;
    private final int[] seen = new int[2];
    private final int[] correct = new int[2];
    private final int[] peaks = new int[Peak.values().length];
    private double duckMean;
    private double creatureMean;
    private int duckScenes;

    /**
     * @param margin pixels a peak may lie outside a box and still count for it (the map is coarser than the
     *               image)
     */
    public StoryTally(int margin) {
        if (margin < 0) {
            throw new IllegalArgumentException("margin must not be negative, got " + margin);
        }
        this.margin = margin;
    }

    /**
     * @param size the scenes' size
     * @return the margin the story uses for scenes of that size: one cell of the demo network's last
     *         convolutional map, a 14th of it (8 px at 112)
     */
    public static int defaultMargin(int size) {
        return size / 14;
    }

    /**
     * @param cam a map, row-major
     * @return the index of the map's largest value (the first one on ties)
     */
    public static int argmax(float[] cam) {
        int best = 0;
        for (int i = 1; i < cam.length; i++) {
            if (cam[i] > cam[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Attributes a map's peak to an object: the box that contains it, or else the nearest box within
     * {@code margin} pixels (a map is coarser than the image, so a peak at the cell beside an object still points
     * at it).
     *
     * @param cam    a map at scene size, row-major
     * @param width  the map's width
     * @param scene  the scene the map explains
     * @param margin how far outside a box a peak may lie and still count for it
     * @return whether the map peaks on the duck, on the creature, or elsewhere
     */
    public static Peak peak(float[] cam, int width, Scene scene, int margin) {
        int at = argmax(cam);
        int x = at % width;
        int y = at / width;
        double toCreature = distance(scene.creature(), x, y);
        double toDuck = scene.duck().map(d -> distance(d, x, y)).orElse(Double.POSITIVE_INFINITY);
        if (Math.min(toCreature, toDuck) > margin) {
            return Peak.ELSEWHERE;
        }
        return toDuck < toCreature ? Peak.DUCK : Peak.CREATURE;
    }

    /** @return the Euclidean distance from pixel (x, y) to the box, 0 inside */
    static double distance(Box box, int x, int y) {
        int dx = Math.max(0, Math.max(box.x() - x, x - (box.right() - 1)));
        int dy = Math.max(0, Math.max(box.y() - y, y - (box.bottom() - 1)));
        return Math.hypot(dx, dy);
    }

    /**
     * @param cam   a map at scene size, row-major
     * @param width the map's width
     * @param box   a box, clipped to the map
     * @return the mean map value inside the box, 0 if the box lies outside the map
     */
    public static double meanInside(float[] cam, int width, Box box) {
        int height = cam.length / width;
        double sum = 0;
        int n = 0;
        for (int y = Math.max(0, box.y()); y < Math.min(height, box.bottom()); y++) {
            for (int x = Math.max(0, box.x()); x < Math.min(width, box.right()); x++) {
                sum += cam[y * width + x];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Counts one explained scene.
     *
     * @param scene     the scene
     * @param predicted the model's predicted class
     * @param cam       the map for the explained target at scene size, row-major
     * @param width     the map's width
     * @return where the map peaks
     */
    public Peak add(Scene scene, int predicted, float[] cam, int width) {
        if (cam.length != width * scene.image().height() || width != scene.image().width()) {
            throw new IllegalArgumentException("the map is " + width + " wide with " + cam.length
                    + " values; the scene is " + scene.image().width() + "x" + scene.image().height());
        }
        seen[scene.label()]++;
        if (predicted == scene.label()) {
            correct[scene.label()]++;
        }
        Peak peak = peak(cam, width, scene, margin);
        peaks[peak.ordinal()]++;
        creatureMean += meanInside(cam, width, scene.creature());
        if (scene.duck().isPresent()) {
            duckMean += meanInside(cam, width, scene.duck().get());
            duckScenes++;
        }
        return peak;
    }

    /** @return the figures so far */
    public Figures figures() {
        int total = seen[0] + seen[1];
        return new Figures(total, ratio(correct[0] + correct[1], total), ratio(correct[0], seen[0]),
                ratio(correct[1], seen[1]), ratio(peaks[Peak.DUCK.ordinal()], total),
                ratio(peaks[Peak.CREATURE.ordinal()], total), ratio(peaks[Peak.ELSEWHERE.ordinal()], total),
                duckScenes == 0 ? 0 : duckMean / duckScenes, total == 0 ? 0 : creatureMean / total);
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /**
     * The story's figures over the counted scenes; shares and accuracies in [0, 1].
     *
     * @param images           how many scenes were counted
     * @param accuracy         share predicted right
     * @param accuracyClass0   share of class-0 scenes predicted right
     * @param accuracyClass1   share of class-1 scenes predicted right
     * @param duckPeak         share of maps peaking in the duck's box
     * @param creaturePeak     share of maps peaking in the creature's box
     * @param elsewherePeak    share of maps peaking in neither
     * @param duckMeanCam      mean map value inside the duck's box (scenes with a duck)
     * @param creatureMeanCam  mean map value inside the creature's box
     */
    public record Figures(int images, double accuracy, double accuracyClass0, double accuracyClass1,
            double duckPeak, double creaturePeak, double elsewherePeak, double duckMeanCam,
            double creatureMeanCam) {
    }
}
