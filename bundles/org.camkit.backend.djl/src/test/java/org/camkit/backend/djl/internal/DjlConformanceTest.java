package org.camkit.backend.djl.internal;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.pooling.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camkit.spi.Capability;
import org.camkit.spi.LoadedModel;
import org.camkit.testkit.BackendConformance;
import org.camkit.testkit.ReferenceNet;

/** The testkit's backend suite on the reference nets built as DJL blocks (the path every built-in model takes). */
class DjlConformanceTest extends BackendConformance {

    @Override
    protected LoadedModel load(ReferenceNet net) {
        return build(net);
    }

    /** Every role, and the linear head where the net ends with global average pooling and a linear layer. */
    @Override
    protected Optional<Set<Capability>> expectedCapabilities(ReferenceNet net) {
        Set<Capability> all = EnumSet.allOf(Capability.class);
        if (net.linearHead().isEmpty()) {
            all.remove(Capability.LINEAR_HEAD);
        }
        return Optional.of(all);
    }

    /** @return the net as a model of this backend, with the net's weights */
    static LoadedModel build(ReferenceNet net) {
        NDManager manager = BlockModels.newManager();
        Architectures.Network network = TestNets.initialize(network(net), manager, 3, net.height());
        for (ReferenceNet.Layer layer : net.layers()) {
            if (layer instanceof ReferenceNet.Conv2d c) {
                BlockModels.setParameter(network, c.name(), "weight", c.weight().toArray());
                BlockModels.setParameter(network, c.name(), "bias", c.bias().toArray());
            } else if (layer instanceof ReferenceNet.Linear l) {
                BlockModels.setParameter(network, l.name(), "weight", l.weight().toArray());
                BlockModels.setParameter(network, l.name(), "bias", l.bias().toArray());
            }
        }
        return BlockModels.wrap(net.descriptor("pytorch", Path.of("in-memory"), "", Map.of()), network, manager);
    }

    /** @return the net's layers as DJL blocks under the net's names, not initialised */
    static Architectures.Network network(ReferenceNet net) {
        List<Object> namesAndBlocks = new ArrayList<>();
        for (ReferenceNet.Layer layer : net.layers()) {
            namesAndBlocks.add(layer.name());
            if (layer instanceof ReferenceNet.Conv2d c) {
                namesAndBlocks.add(TestNets.conv(c.out(), c.kernel(), c.padding()));
            } else if (layer instanceof ReferenceNet.Linear l) {
                namesAndBlocks.add(TestNets.linear(l.out()));
            } else if (layer instanceof ReferenceNet.GlobalAvgPool) {
                namesAndBlocks.add(Pool.globalAvgPool2dBlock());
            } else if (layer instanceof ReferenceNet.Flatten) {
                namesAndBlocks.add(Blocks.batchFlattenBlock());
            } else {
                namesAndBlocks.add(Activation.reluBlock());
            }
        }
        return TestNets.network(namesAndBlocks.toArray());
    }
}
