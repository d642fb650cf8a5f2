package org.capeval.autograd.examples;

import org.capeval.autograd.Tensor;

/**
 * The PyTorch autograd tutorial, step by step in Java. Run with
 * {@code java -cp autograd/target/classes org.capeval.autograd.examples.Tutorial}.
 */
public final class Tutorial {
    private Tutorial() {}

    public static void main(String[] args) {
        Tensor x = Tensor.ones(2, 2).requiresGrad_(true);
        System.out.println("x = " + x);
        Tensor y = x.add(2);
        System.out.println("y = x + 2 = " + y);
        System.out.println("y.gradFn() = " + y.gradFn());
        Tensor z = y.mul(y).mul(3);
        Tensor out = z.mean();
        System.out.println("z = y * y * 3 = " + z);
        System.out.println("out = z.mean() = " + out);
        out.backward();
        System.out.println("after out.backward(): x.grad = " + x.grad());

        // retain_graph: backward twice through the same graph accumulates into x.grad
        Tensor x2 = Tensor.ones(2, 2).requiresGrad_(true);
        Tensor y2 = x2.mul(x2).mul(3);
        y2.backward(Tensor.ones(2, 2), true);
        System.out.println("y = x * x * 3; y.backward(ones, retainGraph=true): x.grad = " + x2.grad());
        Tensor g = Tensor.matrix(new double[][] {{1, 2}, {3, 4}});
        y2.backward(g);
        System.out.println("y.backward([[1, 2], [3, 4]]) adds 6 * g: x.grad = " + x2.grad());

        // the official tutorial's variant: out = (inp + 1)^2 transposed
        Tensor inp = Tensor.eye(4, 5).requiresGrad_(true);
        Tensor o = inp.add(1).pow(2).t();
        o.backward(Tensor.onesLike(o), true);
        System.out.println("First call\n" + inp.grad());
        o.backward(Tensor.onesLike(o), true);
        System.out.println("\nSecond call\n" + inp.grad());
        inp.grad().zero_();
        o.backward(Tensor.onesLike(o), true);
        System.out.println("\nCall after zeroing gradients\n" + inp.grad());
    }
}
