package org.capeval.autograd.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.capeval.autograd.DType;
import org.capeval.autograd.Tensor;

/** Layers applied in order; parameters are the layers' parameters in order. */
public final class Sequential extends Module {
    private static final long serialVersionUID = 1L;
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    public Sequential(List<Module> layers) {
        this.layers = new ArrayList<>(layers);
    }

    /**
     * A multi-layer perceptron {@code sizes[0] -> sizes[1] -> ... -> sizes[n-1]}: Linear layers with
     * {@code activation} between them (none after the last, which outputs logits).
     */
    public static Sequential mlp(Random rng, DType dtype, Activation.Kind activation, int... sizes) {
        if (sizes.length < 2) throw new IllegalArgumentException("an MLP needs at least an input and an output size");
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Linear(sizes[i], sizes[i + 1], true, dtype, rng));
            if (i + 2 < sizes.length) layers.add(new Activation(activation));
        }
        return new Sequential(layers);
    }

    public List<Module> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> r = new ArrayList<>();
        for (Module m : layers) r.addAll(m.parameters());
        return r;
    }
}
