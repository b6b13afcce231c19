package org.camkit.spi.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a visualizer service: sets the service property {@code cam.visualizer}, e.g.
 * {@code @CamVisualizer("overlay")}.
 * The property name comes from the type name ({@code CamX} gives {@code cam.x}). Names are lower case; two
 * services with one name are ranked by {@code service.ranking}.
 *
 * @since 0.1
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CamVisualizer {
    /** @return the visualizer's name, never empty */
    String value();
}
