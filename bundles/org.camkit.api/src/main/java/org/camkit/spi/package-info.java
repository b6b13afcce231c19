/**
 * The camkit service-provider interfaces: what a plugin bundle implements.
 *
 * <p>A plugin is an OSGi service of one of the role interfaces ({@link org.camkit.spi.ModelBackend},
 * {@link org.camkit.spi.CamMethod}, {@link org.camkit.spi.TargetResolver}, {@link org.camkit.spi.Visualizer},
 * {@link org.camkit.spi.CamMetric}), named by a service property set with a component property type from
 * {@link org.camkit.spi.propertytypes}. Data crosses the SPI as {@link org.camkit.spi.Tensor} values. A backend may
 * add an {@link org.camkit.spi.EngineBaseline} (its engine's own pass, for benchmarks); core registers
 * {@link org.camkit.spi.ModelInputs} for tools that run a model beside the Explainer. A visual bundle registers
 * {@link org.camkit.spi.Montage} and {@link org.camkit.spi.Charts} for the figures core writes.
 *
 * @since 0.1
 */
@Export
@Version("1.6.0")
package org.camkit.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
