/**
 * The camkit consumer API: what an application calls to explain a prediction.
 *
 * <p>Obtain the {@link org.camkit.api.Explainer} service from the OSGi service registry, build an
 * {@link org.camkit.api.ExplainRequest} and read the immutable {@link org.camkit.api.Explanation}.
 * Values are plain arrays and records; no engine tensor crosses this API.
 *
 * @since 0.1
 */
@Export
@Version("0.8.0")
package org.camkit.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
