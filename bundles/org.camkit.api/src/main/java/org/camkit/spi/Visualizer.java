package org.camkit.spi;

import org.camkit.api.RgbImage;

/**
 * Renders a class activation map as a picture. Registered as a service named with
 * {@link org.camkit.spi.propertytypes.Visualizer}.
 *
 * @since 0.1
 */
public interface Visualizer {

    /**
     * @param request the image, its map and options
     * @return the picture, never null
     * @throws org.camkit.api.CamException if an option is malformed (the message names it and its valid values)
     */
    RgbImage render(RenderRequest request);
}
