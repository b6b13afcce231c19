package org.camkit.api;

import java.util.List;
import java.util.Objects;

/**
 * The annotated objects of one image, in its own pixels (as COCO stores them), for the metrics that compare maps
 * with where the objects are.
 *
 * @param width   the width of the image the annotations were made on, or 0 for the image's own (the evaluation
 *                refuses annotations made on another size)
 * @param height  the height of that image, or 0
 * @param regions the objects; empty when the image has none annotated
 * @since 0.4
 */
public record GroundTruth(int width, int height, List<Region> regions) {

    /** Validates and copies. */
    public GroundTruth {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("image size " + width + "x" + height);
        }
        regions = List.copyOf(regions);
    }

    /** No annotated objects. */
    public static final GroundTruth NONE = new GroundTruth(0, 0, List.of());

    /**
     * One annotated object: a box, and optionally its exact pixels as polygons (COCO {@code segmentation}) or a mask.
     *
     * @param label    its category (COCO's category name), or {@code ""} when the annotation names none
     * @param x        the box's left edge, in pixels
     * @param y        the box's top edge
     * @param width    the box's width, positive
     * @param height   the box's height, positive
     * @param polygons outlines, each {@code x0, y0, x1, y1, ...} in pixels; empty when the object has none
     * @param mask     the object's pixels at the image's size, row-major, or null
     */
    public record Region(String label, double x, double y, double width, double height, List<double[]> polygons,
            boolean[] mask) {

        /** Validates and copies. */
        public Region {
            Objects.requireNonNull(label, "label");
            if (!(width > 0) || !(height > 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("box [" + x + ", " + y + ", " + width + ", " + height
                        + "] has no area");
            }
            polygons = polygons.stream().map(double[]::clone).toList();
            mask = mask == null ? null : mask.clone();
        }

        /**
         * @param label  its category
         * @param x      the box's left edge
         * @param y      the box's top edge
         * @param width  the box's width
         * @param height the box's height
         * @return a box without polygons or mask
         */
        public static Region box(String label, double x, double y, double width, double height) {
            return new Region(label, x, y, width, height, List.of(), null);
        }

        /** @return copies of the polygons */
        @Override
        public List<double[]> polygons() {
            return polygons.stream().map(double[]::clone).toList();
        }

        /** @return a copy of the mask, or null */
        @Override
        public boolean[] mask() {
            return mask == null ? null : mask.clone();
        }
    }
}
