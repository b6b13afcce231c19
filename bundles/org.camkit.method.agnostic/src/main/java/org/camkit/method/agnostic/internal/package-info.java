/**
 * Model-agnostic explanations of images: LIME, KernelSHAP and Partition SHAP over the model's scores of perturbed
 * inputs (superpixels by SLIC, or an axis-aligned partition), and model-free baselines (Sobel edges). None of them
 * reads a layer: they work on the input, once per request, through {@link org.camkit.spi.ModelProbe#scoreInputs}.
 */
package org.camkit.method.agnostic.internal;
