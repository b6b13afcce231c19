package org.camkit.backend.tensorflow.internal;

import java.time.Duration;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.EngineBaseline;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/*
 * The engine baseline's pass as a TensorFlow user writes it, with no camkit code in between: one Session run feeds the
 * image and fetches the output and the gradient of the top class's score at the layer. The top class and its seed
 * (d score / d output) come from one forward run when the network loads. A graph (savedmodel, frozen) gets the
 * gradient from Graph.addGradients; a Keras SavedModel runs its gradients_<layer> signature. Batched forward passes
 * are one Session run each: a graph fed at its input or at the layer's tensor, a Keras model's forward or
 * head_<layer> signature.
 */
abstract class RawGradient implements EngineBaseline.Network {

    private final Layout layout;
    /** The image in the graph's layout. */
    private final Tensor graphImage;
    /** The image's activations at the layer (graph layout), once a pass from the layer asked for them. */
    private Tensor activations;
    /** The last batch {@link #forward} built (graph layout), and whether it holds activations. */
    private Tensor last;
    private boolean lastFromLayer;

    private RawGradient(Layout layout, Tensor input) {
        this.layout = layout;
        this.graphImage = layout.toGraph(input);
    }

    /** A TF1-style graph and its session; {@code release} closes them. */
    static RawGradient graph(ModelDescriptor model, String layer, Tensor input, Session session, Runnable release) {
        try {
            return new GraphGradient(model, layer, input, session, release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** A Keras SavedModel exported by tools/camkit-export-tf, with a gradients_&lt;layer&gt; signature. */
    static RawGradient keras(ModelDescriptor model, String layer, Tensor input) {
        SavedModelBundle bundle = SavedModels.open(model);
        try {
            return new KerasGradient(model, layer, input, bundle);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    @Override
    public Tensor forward(int batch, boolean fromLayer) {
        if (last == null || last.dim(0) != batch || lastFromLayer != fromLayer) {
            last = EngineBaseline.repeat(fromLayer ? activations() : graphImage, batch);
            lastFromLayer = fromLayer;
        }
        try (TFloat32 x = TfTensors.toTf(last); Result result = fromLayer ? fromLayer(x) : whole(x)) {
            return camkit(result.get(0), "the output");
        }
    }

    /** @return the image's activations at the layer in the graph's layout, computed on first use */
    private Tensor activations() {
        if (activations == null) {
            try (TFloat32 x = image(); Result result = toLayer(x)) {
                activations = TfTensors.fromTf(result.get(0), "the layer's activations");
            }
        }
        return activations;
    }

    /** @return a run that fetched the model output of the input batch {@code x} (graph layout) first */
    abstract Result whole(TFloat32 x);

    /** @return a run that fetched the layer's activations of the input batch {@code x} first */
    abstract Result toLayer(TFloat32 x);

    /** @return a run that fetched the model output of the layer's activations {@code a} (graph layout) first */
    abstract Result fromLayer(TFloat32 a);

    /** @return a new tensor of the image, which the caller closes */
    final TFloat32 image() {
        return TfTensors.toTf(graphImage);
    }

    /** @return a fetched tensor in camkit's layout */
    final Tensor camkit(org.tensorflow.Tensor tensor, String what) {
        return layout.toCamkit(TfTensors.fromTf(tensor, what));
    }

    /** @return the seed of the top class of {@code output} (camkit's layout), in the graph's layout */
    final Tensor seedOfTopClass(Tensor output) {
        return layout.toGraph(EngineBaseline.seed(output, EngineBaseline.topClass(output)));
    }

    /** Reads a run that fetched (output, gradient); the gradient stays in the graph's layout. */
    final EngineBaseline.Run read(Result result) {
        Tensor output = camkit(result.get(0), "the output");
        Tensor gradient = TfTensors.fromTf(result.get(1), "the gradient");
        double squares = 0;
        for (float g : gradient.toArray()) {
            squares += (double) g * g;
        }
        long[] shape = layout.toCamkit(java.util.Arrays.stream(gradient.shape()).asLongStream().toArray());
        return new EngineBaseline.Run(output.toArray(), EngineBaseline.topClass(output), Math.toIntExact(shape[1]),
                Math.sqrt(squares), Map.<String, Duration>of());
    }

    /** A graph with {@code sum(seed * output)} and its gradient at the layer added. */
    private static final class GraphGradient extends RawGradient {
        private final Session session;
        private final Runnable release;
        private final Output<?> input;
        private final Output<?> output;
        private final Output<?> gradient;
        private final Output<?> activations;

        GraphGradient(ModelDescriptor model, String layer, Tensor input, Session session, Runnable release) {
            super(Layout.parse(model.properties().get("layout"), model.name()), input);
            this.session = session;
            this.release = release;
            Graph graph = session.graph();
            this.input = tensor(model, graph, SavedModels.required(model, "input"));
            this.output = tensor(model, graph, SavedModels.required(model, "output"));
            this.activations = tensor(model, graph, layer);
            float[] seed;
            long[] seedShape;
            try (TFloat32 x = image(); Result result = session.runner().feed(this.input, x).fetch(output).run()) {
                Tensor graphSeed = seedOfTopClass(camkit(result.get(0), "the output"));
                seed = graphSeed.toArray();
                seedShape = java.util.Arrays.stream(graphSeed.shape()).asLongStream().toArray();
            }
            Ops tf = Ops.create(graph).withSubScope("camkit_baseline");
            Output<TFloat32> score = tf.sum(tf.math.mul(output.expect(TFloat32.class),
                    tf.constant(Shape.of(seedShape), DataBuffers.of(seed, true, false))),
                    tf.range(tf.constant(0), tf.rank(output), tf.constant(1))).asOutput();
            this.gradient = graph.addGradients(score, new Output<?>[] {this.activations})[0];
        }

        private static Output<?> tensor(ModelDescriptor model, Graph graph, String name) {
            Output<?> tensor = SavedModels.outputOf(graph, name);
            if (tensor == null) {
                throw new CamException("model '" + model.name() + "': the graph has no operation '" + name + "'");
            }
            return tensor;
        }

        @Override
        public EngineBaseline.Run run() {
            try (TFloat32 x = image();
                    Result result = session.runner().feed(input, x).fetch(output).fetch(gradient).run()) {
                return read(result);
            }
        }

        @Override
        Result whole(TFloat32 x) {
            return session.runner().feed(input, x).fetch(output).run();
        }

        @Override
        Result toLayer(TFloat32 x) {
            return session.runner().feed(input, x).fetch(activations).run();
        }

        @Override
        Result fromLayer(TFloat32 a) {
            return session.runner().feed(activations, a).fetch(output).run();
        }

        @Override
        public void close() {
            release.run();
        }
    }

    /**
     * The signature gradients_&lt;layer&gt;(x, seed) -&gt; output, activations, gradients; the seed is fed, the top class
     * of the forward signature's output for the image.
     */
    private static final class KerasGradient extends RawGradient {
        private final SavedModelBundle bundle;
        private final KerasSignatures.Endpoint gradients;
        private final KerasSignatures.Endpoint forward;
        private final KerasSignatures.Endpoint features;
        private final KerasSignatures.Endpoint head;
        private final float[] seed;
        private final long[] seedShape;

        KerasGradient(ModelDescriptor model, String layer, Tensor input, SavedModelBundle bundle) {
            super(Layout.parse(model.properties().get("layout"), model.name()), input);
            this.bundle = bundle;
            KerasSignatures signatures = KerasSignatures.of(model, bundle.signatures(), java.util.List.of(layer));
            this.gradients = signatures.gradients(layer);
            this.forward = signatures.forward();
            this.features = signatures.features(layer);
            this.head = signatures.head(layer);
            try (TFloat32 x = image(); Result result = bundle.session().runner().feed(forward.input("x"), x)
                    .fetch(forward.output("output")).run()) {
                Tensor graphSeed = seedOfTopClass(camkit(result.get(0), "the output"));
                this.seed = graphSeed.toArray();
                this.seedShape = java.util.Arrays.stream(graphSeed.shape()).asLongStream().toArray();
            }
        }

        @Override
        public EngineBaseline.Run run() {
            try (TFloat32 x = image();
                    TFloat32 s = TFloat32.tensorOf(Shape.of(seedShape), DataBuffers.of(seed, true, false));
                    Result result = bundle.session().runner().feed(gradients.input("x"), x)
                            .feed(gradients.input("seed"), s).fetch(gradients.output("output"))
                            .fetch(gradients.output("gradients")).run()) {
                return read(result);
            }
        }

        @Override
        Result whole(TFloat32 x) {
            return bundle.session().runner().feed(forward.input("x"), x).fetch(forward.output("output")).run();
        }

        @Override
        Result toLayer(TFloat32 x) {
            return bundle.session().runner().feed(features.input("x"), x).fetch(features.output("activations"))
                    .run();
        }

        @Override
        Result fromLayer(TFloat32 a) {
            return bundle.session().runner().feed(head.input("a"), a).fetch(head.output("output")).run();
        }

        @Override
        public void close() {
            bundle.close();
        }
    }
}
