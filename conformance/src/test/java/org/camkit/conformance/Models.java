package org.camkit.conformance;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camkit.api.Progress;
import org.camkit.api.RgbImage;
import org.camkit.backend.djl.internal.Architectures;
import org.camkit.backend.djl.internal.BlockModels;
import org.camkit.backend.djl.internal.DjlBackend;
import org.camkit.core.internal.Descriptors;
import org.camkit.core.internal.Images;
import org.camkit.core.internal.Pipeline;
import org.camkit.demo.internal.Scene;
import org.camkit.demo.internal.SceneGenerator;
import org.camkit.spi.CamMethod;
import org.camkit.spi.LoadedModel;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.Tensor;
import org.camkit.target.classifier.internal.ClassTarget;

/** The real models the conformance tests run on, and small helpers around the core's pipeline. */
final class Models {

    static final int DEMO_SIZE = 112;
    static final String DEMO_LAYER = "relu4";

    private Models() {
    }

    /** The trained biased demo CNN (conv, ReLU, max-pool, global average pool, linear) from models/. */
    static LoadedModel demoBiased() {
        return new DjlBackend().load(descriptor("demo-biased"));
    }

    /** The same network and weights as a TensorFlow SavedModel: models/demo-biased-tensorflow.json as the build converted it. */
    static LoadedModel demoBiasedTensorFlow() {
        return new org.camkit.backend.tensorflow.internal.TfBackend().load(descriptor("demo-biased-tensorflow"));
    }

    /** @return models/ of the repository (surefire sets camkit.models) */
    static Path models() {
        return Path.of(System.getProperty("camkit.models", "../models"));
    }

    /** @return the descriptor models/&lt;name&gt;.json, read by core */
    static ModelDescriptor descriptor(String name) {
        return Descriptors.read(models().resolve(name + ".json"));
    }

    /** Held-out demo scenes (a duck beside either creature), preprocessed as the demo model expects. */
    static Tensor demoScenes(int count, long seed) {
        SceneGenerator generator = new SceneGenerator(DEMO_SIZE);
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Scene scene = generator.scene(seed + i, i % 2, true);
            images.add(scene.image());
        }
        return Images.preprocess(images, descriptor("demo-biased"));
    }

    /**
     * Standard normal noise as a model input {@code [n, 3, size, size]}: no flat regions, so no ties in max-pooling,
     * where engines may route gradients differently.
     */
    static Tensor noise(int n, int size, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] data = new float[n * 3 * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.of(data, n, 3, size, size);
    }

    /**
     * Captum's {@code BasicModel_ConvNet_One_Conv}: conv1 (1 to 2 channels, 3x3, weights 1, biases -50 and -75),
     * relu1, flatten, fc1 (8 to 4, rows [1,1,1,1,1,-1,-1,-1], bias 0), relu2; input 1x4x4.
     */
    static LoadedModel captumOneConv() {
        SequentialBlock block = new SequentialBlock();
        List<String> names = List.of("conv1", "relu1", "flatten", "fc1", "relu2");
        block.add(Conv2d.builder().setFilters(2).setKernelShape(new Shape(3, 3)).build());
        block.add(Activation.reluBlock());
        block.add(Blocks.batchFlattenBlock());
        block.add(Linear.builder().setUnits(4).build());
        block.add(Activation.reluBlock());
        return wrap(names, block, new Shape(1, 1, 4, 4), 4, 1, net -> {
            float[] ones = new float[2 * 9];
            java.util.Arrays.fill(ones, 1f);
            BlockModels.setParameter(net, "conv1", "weight", ones);
            BlockModels.setParameter(net, "conv1", "bias", -50f, -75f);
            float[] fc = new float[4 * 8];
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 8; c++) {
                    fc[r * 8 + c] = c < 5 ? 1f : -1f;
                }
            }
            BlockModels.setParameter(net, "fc1", "weight", fc);
            BlockModels.setParameter(net, "fc1", "bias", new float[4]);
        });
    }

    /**
     * A 1x1 convolution whose channel k is {@code c_k} times the input's first channel (rank-one activations),
     * then global average pooling and a linear layer.
     */
    static LoadedModel rankOne(float[] c, int size) {
        SequentialBlock block = new SequentialBlock();
        List<String> names = List.of("conv", "gap", "fc");
        block.add(Conv2d.builder().setFilters(c.length).setKernelShape(new Shape(1, 1)).build());
        block.add(ai.djl.nn.pooling.Pool.globalAvgPool2dBlock());
        block.add(Linear.builder().setUnits(2).build());
        return wrap(names, block, new Shape(1, 3, size, size), size, 3, net -> {
            float[] weight = new float[c.length * 3];
            for (int k = 0; k < c.length; k++) {
                weight[k * 3] = c[k];
            }
            BlockModels.setParameter(net, "conv", "weight", weight);
            BlockModels.setParameter(net, "conv", "bias", new float[c.length]);
            float[] fc = new float[2 * c.length];
            java.util.Arrays.fill(fc, 1f);
            BlockModels.setParameter(net, "fc", "weight", fc);
            BlockModels.setParameter(net, "fc", "bias", 0f, 0f);
        });
    }

    private static LoadedModel wrap(List<String> names, SequentialBlock block, Shape input, int size, int channels,
            java.util.function.Consumer<Architectures.Network> weights) {
        NDManager manager = BlockModels.newManager();
        Architectures.Network net = new Architectures.Network(names, block);
        net.block().initialize(manager, DataType.FLOAT32, input);
        weights.accept(net);
        float[] mean = new float[3];
        float[] std = {1, 1, 1};
        ModelDescriptor descriptor = new ModelDescriptor("net-" + names.get(0), "pytorch", Path.of("in-memory"),
                "in-memory", size, size, mean, std, List.of(), names.get(0), Map.of("classes", "4"));
        return BlockModels.wrap(descriptor, net, manager);
    }

    /** @return a pipeline for one method at one layer with a class target */
    static Pipeline pipeline(LoadedModel model, CamMethod method, String target, List<String> layers) {
        return pipeline(model, method, new ClassTarget(), target, layers, Map.of());
    }

    static Pipeline pipeline(LoadedModel model, CamMethod method, TargetResolver resolver, String target,
            List<String> layers, Map<String, String> options) {
        return new Pipeline(model, method, method.getClass().getSimpleName(), resolver, target, layers, options,
                false, Progress.NONE);
    }
}
