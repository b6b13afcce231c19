/**
 * Component property types that name camkit plugins in the service registry, e.g.
 * {@code @CamMethodName("gradcam")} sets {@code cam.method=gradcam}.
 *
 * @since 0.1
 */
@Export
@Version("0.1.0")
package org.camkit.spi.propertytypes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
