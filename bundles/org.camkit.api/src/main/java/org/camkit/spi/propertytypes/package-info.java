/**
 * Component property types that name camkit plugins in the service registry, e.g.
 * {@code @Method("gradcam")} sets {@code cam.method=gradcam}, {@code @CamVisualizer("overlay")} sets
 * {@code cam.visualizer=overlay}.
 *
 * @since 0.1
 */
@Export
@Version("1.1.0")
package org.camkit.spi.propertytypes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
