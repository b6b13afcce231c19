package org.camkit.spi.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a model backend service: sets the service property {@code cam.backend}, e.g. {@code @Backend("pytorch")}.
 * Names are lower case; two services with one name are ranked by {@code service.ranking}.
 *
 * @since 0.1
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Backend {
    /** Prefix of the property name, giving {@code cam.backend}. */
    String PREFIX_ = "cam.";

    /** @return the model backend's name, never empty */
    String value();
}
