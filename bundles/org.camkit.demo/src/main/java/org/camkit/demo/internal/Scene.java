package org.camkit.demo.internal;

import java.util.Optional;
import org.camkit.api.RgbImage;

/**
 * One generated picture and its ground truth.
 *
 * @param image    the square RGB picture
 * @param label    the creature's class, {@link SceneGenerator#CHARMANDER} or {@link SceneGenerator#BULBASAUR}
 * @param creature the creature's bounding box
 * @param duck     the rubber duck's bounding box, empty when the picture has no duck
 */
public record Scene(RgbImage image, int label, Box creature, Optional<Box> duck) {
}
