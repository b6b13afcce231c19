package org.camkit.spi;

import org.camkit.api.RgbImage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Renders a class activation map as a picture. Registered as a service named with
 * {@link org.camkit.spi.propertytypes.CamVisualizer}.
 *
 * @since 0.1
 */
@ConsumerType
public interface Visualizer {

    /**
     * @param request the image, its map and options
     * @return the picture, never null
     * @throws org.camkit.api.CamException if an option is malformed (the message names it and its valid values)
     */
    RgbImage render(RenderRequest request);
}
