package org.camkit.core.internal;

import java.util.List;
import org.camkit.api.LayerAggregation;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.Tensor;

/**
 * The map post-processing every method shares: ReLU, min-max normalisation, bilinear resize, layer mean or product.
 */
final class CamOps {

    private CamOps() {
    }

    /** Clamps negative values (and NaN) to 0 in place and returns the array. */
    static float[] relu(float[] map) {
        for (int i = 0; i < map.length; i++) {
            if (!(map[i] > 0)) {
                map[i] = 0;
            }
        }
        return map;
    }

    /**
     * One layer's raw map to input size: ReLU, normalise, resize (pytorch-grad-cam's
     * {@code compute_cam_per_layer}).
     */
    static float[] perLayer(float[] raw, int w, int h, int dstW, int dstH) {
        return MapProcessing.resize(MapProcessing.normalize(relu(raw)), w, h, dstW, dstH);
    }

    /**
     * Several layers' maps at input size into one. {@link LayerAggregation#MEAN}: clamp at 0, mean, normalise
     * (pytorch-grad-cam's {@code aggregate_multi_layers}). {@link LayerAggregation#PRODUCT}: each layer's map
     * clamped and normalised on its own (what one single-layer CAM returns), their element-wise product, normalised
     * (pytorch-grad-cam's RefineCAM). A single layer's map is clamped and normalised in place either way.
     */
    static float[] aggregate(List<float[]> layers, LayerAggregation how) {
        if (how == LayerAggregation.PRODUCT && layers.size() > 1) {
            float[] product = null;
            for (float[] layer : layers) {
                float[] own = aggregate(List.of(layer.clone()), LayerAggregation.MEAN);
                if (product == null) {
                    product = own;
                } else {
                    for (int i = 0; i < product.length; i++) {
                        product[i] *= own[i];
                    }
                }
            }
            return MapProcessing.normalize(product);
        }
        if (layers.size() == 1) {
            float[] map = layers.get(0);
            for (int i = 0; i < map.length; i++) {
                map[i] = Math.max(map[i], 0f);
            }
            return MapProcessing.normalize(map);
        }
        int size = layers.get(0).length;
        float[] mean = new float[size];
        for (float[] layer : layers) {
            for (int i = 0; i < size; i++) {
                mean[i] += Math.max(layer[i], 0f);
            }
        }
        for (int i = 0; i < size; i++) {
            mean[i] /= layers.size();
        }
        return MapProcessing.normalize(mean);
    }

    /** The channel sum of one image's {@code [C, area]} contributions starting at {@code offset}. */
    static float[] channelSum(Tensor data, int offset, int channels, int area) {
        float[] out = new float[area];
        for (int k = 0; k < channels; k++) {
            int base = offset + k * area;
            for (int p = 0; p < area; p++) {
                out[p] += data.get(base + p);
            }
        }
        return out;
    }
}
