package org.camkit.spi.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a target resolver service: sets the service property {@code cam.target}, e.g. {@code @Target("class")}.
 * Names are lower case; two services with one name are ranked by {@code service.ranking}.
 *
 * @since 0.1
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@java.lang.annotation.Target(ElementType.TYPE)
public @interface Target {
    /** Prefix of the property name, giving {@code cam.target}. */
    String PREFIX_ = "cam.";

    /** @return the target resolver's name, never empty */
    String value();
}
