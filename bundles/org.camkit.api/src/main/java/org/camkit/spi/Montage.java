package org.camkit.spi;

import java.util.List;
import org.camkit.api.RgbImage;
import org.camkit.api.Tile;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Lays pictures out in a titled grid (the comparison figure of {@link org.camkit.api.Explainer#compare}).
 * Registered as a service; the highest-ranked one is used.
 *
 * @since 0.2
 */
@ConsumerType
public interface Montage {

    /**
     * @param tiles   the pictures with their titles, in reading order; pictures may differ in size
     * @param columns the number of columns, at least 1
     * @return the grid, never null
     */
    RgbImage compose(List<Tile> tiles, int columns);
}
