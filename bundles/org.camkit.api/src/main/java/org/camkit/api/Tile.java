package org.camkit.api;

import java.util.Objects;

/**
 * One picture of a comparison grid with its title and caption.
 *
 * @param image   the picture
 * @param title   the first line under it, e.g. the method name
 * @param caption the second line, e.g. the target and run time; may be empty
 * @since 0.2
 */
public record Tile(RgbImage image, String title, String caption) {

    /** Validates. */
    public Tile {
        Objects.requireNonNull(image, "image");
        title = title == null ? "" : title;
        caption = caption == null ? "" : caption;
    }
}
