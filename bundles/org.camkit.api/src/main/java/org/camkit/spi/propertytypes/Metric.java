package org.camkit.spi.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a metric service: sets the service property {@code cam.metric}, e.g. {@code @Metric("deletion")}.
 * Names are lower case; two services with one name are ranked by {@code service.ranking}.
 *
 * @since 1.1
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Metric {
    /** Prefix of the property name, giving {@code cam.metric}. */
    String PREFIX_ = "cam.";

    /** @return the metric's name, never empty */
    String value();
}
