package org.capeval.autograd.nn;

import java.util.List;
import org.capeval.autograd.AutogradException;
import org.capeval.autograd.GradMode;
import org.capeval.autograd.Tensor;

/** Flat-vector views of parameter lists: what a data-parallel job ships and sums. */
public final class Parameters {
    private Parameters() {}

    public static int count(List<Tensor> params) {
        int n = 0;
        for (Tensor p : params) n += p.numel();
        return n;
    }

    public static double[] flatten(List<Tensor> params) {
        double[] r = new double[count(params)];
        int off = 0;
        for (Tensor p : params) {
            double[] v = p.toArray();
            System.arraycopy(v, 0, r, off, v.length);
            off += v.length;
        }
        return r;
    }

    public static void load(List<Tensor> params, double[] values) {
        checkLength(params, values);
        GradMode.noGrad(() -> {
            int[] off = {0};
            for (Tensor p : params) {
                p.modifyValues(d -> System.arraycopy(values, off[0], d, 0, d.length));
                off[0] += p.numel();
            }
        });
    }

    /** Gradients in parameter order; a parameter without .grad contributes zeros. */
    public static double[] flattenGrads(List<Tensor> params) {
        double[] r = new double[count(params)];
        int off = 0;
        for (Tensor p : params) {
            if (p.grad() != null) System.arraycopy(p.grad().toArray(), 0, r, off, p.numel());
            off += p.numel();
        }
        return r;
    }

    /** Sets every parameter's .grad from a flat array (e.g. the sum of the executors' gradients). */
    public static void setGrads(List<Tensor> params, double[] grads) {
        checkLength(params, grads);
        int off = 0;
        for (Tensor p : params) {
            double[] g = new double[p.numel()];
            System.arraycopy(grads, off, g, 0, g.length);
            p.setGrad(Tensor.of(g, p.shape(), p.dtype()));
            off += g.length;
        }
    }

    /** {@code setToNull}: .grad becomes null (torch 2.x default); else it is filled with zeros in place (torch 1.13 default). */
    public static void zeroGrad(List<Tensor> params, boolean setToNull) {
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            if (setToNull) p.setGrad(null);
            else p.grad().zero_();
        }
    }

    private static void checkLength(List<Tensor> params, double[] values) {
        if (values.length != count(params)) {
            throw new AutogradException("flat vector has " + values.length + " values but the parameters hold " + count(params));
        }
    }
}
