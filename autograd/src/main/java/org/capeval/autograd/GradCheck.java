package org.capeval.autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * Numerical gradient checking, like torch.autograd.gradcheck: the analytical Jacobian (one
 * {@link Autograd#grad} per output element) against central finite differences, for every input
 * that requires grad. Use float64 inputs. {@link #gradgradcheck} does the same for the gradient
 * function itself (second derivatives through createGraph).
 */
public final class GradCheck {
    private GradCheck() {}

    /** The function under test; it must be deterministic and use only the given inputs. */
    public interface Fn {
        Tensor apply(Tensor... inputs);
    }

    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** Throws an {@link AssertionError} naming the first input/output pair that disagrees. */
    public static void gradcheck(Fn f, Tensor... inputs) {
        gradcheck(f, EPS, ATOL, RTOL, inputs);
    }

    public static void gradcheck(Fn f, double eps, double atol, double rtol, Tensor... inputs) {
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) diff.add(i);
        if (diff.isEmpty()) throw new IllegalArgumentException("gradcheck: no input requires grad");
        for (int i : diff) {
            if (inputs[i].dtype() != DType.FLOAT64) throw new IllegalArgumentException("gradcheck: input " + i + " is " + inputs[i].dtype() + "; use float64");
        }
        Tensor out = f.apply(inputs);
        int m = out.numel();
        Tensor[] wrt = new Tensor[diff.size()];
        for (int k = 0; k < wrt.length; k++) wrt[k] = inputs[diff.get(k)];

        // analytical: row r of each Jacobian from the vector-Jacobian product with the unit vector e_r
        double[][][] analytical = new double[wrt.length][m][];
        for (int r = 0; r < m; r++) {
            double[] e = new double[m];
            e[r] = 1;
            Tensor[] g = Autograd.grad(new Tensor[] {out}, wrt, new Tensor[] {Tensor.of(e, out.shape(), out.dtype())}, false, true, true);
            for (int k = 0; k < wrt.length; k++) analytical[k][r] = g[k] == null ? new double[wrt[k].numel()] : g[k].toArray();
        }

        // numerical: central differences, one input element at a time
        for (int k = 0; k < wrt.length; k++) {
            Tensor x = wrt[k];
            for (int j = 0; j < x.numel(); j++) {
                double[] plus = evalShifted(f, inputs, x, j, eps);
                double[] minus = evalShifted(f, inputs, x, j, -eps);
                for (int r = 0; r < m; r++) {
                    double num = (plus[r] - minus[r]) / (2 * eps);
                    double ana = analytical[k][r][j];
                    if (!(Math.abs(ana - num) <= atol + rtol * Math.abs(num))) {
                        throw new AssertionError("gradcheck: Jacobian mismatch for output element " + r + " with respect to input "
                                + diff.get(k) + " element " + j + ": numerical " + num + ", analytical " + ana);
                    }
                }
            }
        }
    }

    /** gradcheck of x -> d(sum(f(x) * v))/dx for a fixed random v, i.e. of the second derivatives. */
    public static void gradgradcheck(Fn f, Tensor... inputs) {
        Tensor probe = GradMode.noGrad(() -> f.apply(inputs));
        java.util.Random rng = new java.util.Random(12345);
        Tensor v = Tensor.uniform(rng, 0.5, 1.5, probe.dtype(), probe.shape());
        Fn gradients = xs -> {
            Tensor y = f.apply(xs);
            List<Tensor> wrt = new ArrayList<>();
            for (Tensor x : xs) if (x.requiresGrad()) wrt.add(x);
            Tensor[] g = Autograd.grad(new Tensor[] {y}, wrt.toArray(new Tensor[0]), new Tensor[] {v}, true, true, true);
            List<Tensor> flat = new ArrayList<>();
            for (int k = 0; k < g.length; k++) flat.add(g[k] == null ? Tensor.zeros(wrt.get(k).numel()) : g[k].reshape(-1));
            return Tensor.cat(flat, 0);
        };
        gradcheck(gradients, inputs);
    }

    private static double[] evalShifted(Fn f, Tensor[] inputs, Tensor x, int j, double delta) {
        double old = x.toArray()[j];
        GradMode.noGrad(() -> x.modifyValues(d -> d[j] = old + delta));
        try {
            return f.apply(inputs).toArray();
        } finally {
            GradMode.noGrad(() -> x.modifyValues(d -> d[j] = old));
        }
    }
}
