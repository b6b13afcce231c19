package org.camkit.spi.propertytypes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a CAM method service: sets the service property {@code cam.method}, e.g. {@code @Method("gradcam")}.
 * Names are lower case; two services with one name are ranked by {@code service.ranking}.
 *
 * @since 0.1
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Method {
    /** Prefix of the property name, giving {@code cam.method}. */
    String PREFIX_ = "cam.";

    /** @return the CAM method's name, never empty */
    String value();
}
