package org.camkit.demo.internal;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * An annotated object of a scene.
     *
     * @param category its category: a {@link SceneGenerator#LABELS label} or {@link SceneGenerator#DUCK}
     * @param box      its bounding box
     */
    public record Annotated(String category, Box box) {
    }

    /** @return the creature, named by its label, then the duck when there is one */
    public List<Annotated> objects() {
        List<Annotated> out = new ArrayList<>(2);
        out.add(new Annotated(SceneGenerator.LABELS.get(label), creature));
        duck.ifPresent(d -> out.add(new Annotated(SceneGenerator.DUCK, d)));
        return out;
    }
}
