package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of ../shared/spec/autograd-semantics.md, section by section, on hand-made values. */
class SemanticsTest {

    private static Tensor w(double... v) {
        return Tensor.vector(v).requiresGrad_(true);
    }

    private static String message(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void leavesAndRequiresGradPropagation() {
        Tensor x = w(1, 2), c = Tensor.vector(3, 4);
        assertTrue(x.isLeaf() && c.isLeaf() && !c.requiresGrad());
        Tensor y = x.mul(c);
        assertFalse(y.isLeaf());
        assertTrue(y.requiresGrad());
        Tensor k = c.mul(c);
        assertTrue(k.isLeaf() && !k.requiresGrad() && k.gradFn() == null);
        assertEquals(AutogradException.NONLEAF_REQUIRES_GRAD, message(() -> y.requiresGrad_(false)));
        assertSame(y, y.requiresGrad_(true));
        assertSame(c, c.requiresGrad_(true));
        assertEquals("only Tensors of floating point dtype can require gradients", message(() -> Tensor.longs(new long[] {1}, 1).requiresGrad_(true)));
        assertEquals("Only Tensors of floating point and complex dtype can require gradients",
                message(() -> Tensor.of(new double[] {1}, new int[] {1}, DType.INT64, true)));
        Tensor am = x.argmax();
        assertFalse(am.requiresGrad());
        assertEquals(DType.INT64, am.dtype());
    }

    @Test
    void gradIsNullThenAccumulatesInPlace() {
        Tensor x = w(1, 2, 3), unused = w(5);
        assertNull(x.grad());
        for (int i = 1; i <= 3; i++) x.mul((double) i).sum().backward();
        assertArrayEquals(new double[] {6, 6, 6}, x.grad().toArray());
        assertNull(unused.grad());
        Tensor z = w(1, 2);
        z.mul(0.0).sum().backward();
        assertArrayEquals(new double[] {0, 0}, z.grad().toArray(), "reached with zero contribution: zeros, not null");
        assertEquals("assigned grad has data of a different size", message(() -> x.setGrad(Tensor.zeros(2))));
        assertEquals("assigned grad has data of a different type", message(() -> x.setGrad(Tensor.zeros(DType.FLOAT32, 3))));
        x.setGrad(null);
        x.sum().backward();
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toArray());
    }

    @Test
    void backwardSeedsAndShapeChecks() {
        for (int[] shape : new int[][] {{}, {1}, {1, 1}}) {
            Tensor x = Tensor.ones(shape).requiresGrad_(true);
            x.mul(3.0).backward();
            assertEquals(3.0, x.grad().item());
        }
        Tensor x = w(1, 2, 3);
        Tensor y = x.mul(2.0);
        assertEquals("grad can be implicitly created only for scalar outputs", message(y::backward));
        assertEquals("Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).",
                message(() -> y.backward(Tensor.vector(1, 1), true)));
        assertEquals("Mismatch in shape: grad_output[0] has a shape of torch.Size([1, 3]) and output[0] has a shape of torch.Size([3]).",
                message(() -> y.backward(Tensor.ones(1, 3), true)));
        // another dtype is converted to the output's
        y.backward(Tensor.longs(new long[] {1, 1, 1}, 3), true);
        assertArrayEquals(new double[] {2, 2, 2}, x.grad().toArray());
        assertEquals("element 0 of tensors does not require grad and does not have a grad_fn", message(() -> Tensor.vector(1).sum().backward()));
        // backward of several roots equals the backward of their sum
        Tensor a = w(1, 2), b = w(1, 2);
        Autograd.backward(new Tensor[] {a.mul(a).sum(), a.mul(3.0).sum()}, null, false, false);
        b.mul(b).sum().add(b.mul(3.0).sum()).backward();
        assertArrayEquals(b.grad().toArray(), a.grad().toArray());
    }

    @Test
    void backwardWithInputsAccumulatesOnlyThere() {
        Tensor a = w(1, 2), b = w(3, 4);
        Tensor y = a.mul(b);
        Tensor z = y.mul(y).sum();
        Autograd.backward(new Tensor[] {z}, null, true, false, new Tensor[] {a});
        assertArrayEquals(new double[] {18, 64}, a.grad().toArray());
        assertNull(b.grad());
        Autograd.backward(new Tensor[] {z}, null, false, false, new Tensor[] {y});
        assertArrayEquals(new double[] {6, 16}, y.grad().toArray(), "a non-leaf input gets its .grad");
        assertArrayEquals(new double[] {18, 64}, a.grad().toArray());
        assertNull(b.grad());
    }

    @Test
    void freedGraphAndTheNoSavedTensorsQuirk() {
        Tensor x = w(1, 2);
        Tensor s = x.add(2).sum();
        s.backward();
        s.backward(); // nothing saved: torch allows this and accumulates
        assertArrayEquals(new double[] {2, 2}, x.grad().toArray());
        Tensor m = x.mul(5.0).sum();
        m.backward();
        assertTrue(message(m::backward).startsWith("Trying to backward through the graph a second time"));
        assertArrayEquals(new double[] {7, 7}, x.grad().toArray(), "a failed pass leaves .grad unchanged");
        // two losses sharing a subgraph
        Tensor h = x.exp();
        Tensor l1 = h.sum(), l2 = h.mul(h).sum();
        l1.backward(null, true);
        l2.backward();
        assertTrue(message(l1::backward).contains("retain_graph=True"));
        // a new forward pass builds a new graph
        x.exp().sum().backward();
    }

    @Test
    void gradFnNamesAndNextFunctions() {
        Tensor x = w(1, 2), c = Tensor.vector(3, 4);
        Tensor y = x.mul(c);
        assertEquals("MulBackward0", y.gradFn().name());
        List<Edge> next = y.gradFn().nextFunctions();
        assertEquals(2, next.size());
        assertTrue(next.get(0).function() instanceof AccumulateGrad);
        assertSame(x, ((AccumulateGrad) next.get(0).function()).variable());
        assertNull(next.get(1).function());
        Tensor sq = x.mul(x);
        assertSame(sq.gradFn().nextFunctions().get(0).function(), sq.gradFn().nextFunctions().get(1).function());
        assertSame(sq.gradFn().nextFunctions().get(0).function(), y.gradFn().nextFunctions().get(0).function());
        assertEquals("RsubBackward1", x.rsub(2).gradFn().name());
        assertEquals("PowBackward0", x.pow(2).gradFn().name());
        assertEquals(1, x.pow(2).gradFn().nextFunctions().size());
        assertEquals("MulBackward0", x.rdiv(2).gradFn().name());
        assertEquals("ReciprocalBackward0", x.rdiv(2).gradFn().nextFunctions().get(0).function().name());
        assertEquals("SumBackward1", x.sum(0).gradFn().name());
        assertEquals("MeanBackward1", x.mean(0).gradFn().name());
        assertEquals("MaxBackward1", x.max().gradFn().name());
        assertEquals("MaxBackward0", x.max(0, false).gradFn().name());
        Tensor a = Tensor.ones(2, 3).requiresGrad_(true);
        assertEquals("MmBackward0", a.matmul(Tensor.ones(3, 2)).gradFn().name());
        assertEquals("TBackward0", a.t().gradFn().name());
        assertEquals("NllLossBackward0", Functional.crossEntropy(a, Tensor.longs(new long[] {0, 2}, 2)).gradFn().name());
        assertEquals("LogSoftmaxBackward0", Functional.crossEntropy(a, Tensor.longs(new long[] {0, 2}, 2)).gradFn().nextFunctions().get(0).function().name());
        assertSame(a, a.contiguous());
    }

    @Test
    void nonLeafGradAndRetainGrad() {
        Tensor x = w(1, 2);
        Tensor y = x.mul(3.0);
        Tensor z = y.mul(y).sum();
        assertFalse(y.retainsGrad());
        y.retainGrad();
        assertTrue(y.retainsGrad());
        x.retainGrad();
        assertFalse(x.retainsGrad(), "retainGrad is a no-op on leaves");
        z.backward(null, true);
        assertArrayEquals(new double[] {6, 12}, y.grad().toArray());
        z.backward();
        assertArrayEquals(new double[] {12, 24}, y.grad().toArray(), "retained grads accumulate");
        Tensor u = x.mul(2.0);
        u.sum().backward();
        assertNull(u.grad());
        assertEquals("can't retain_grad on Tensor that has requires_grad=False", message(() -> Tensor.vector(1).retainGrad()));
    }

    @Test
    void detachAndNoGrad() {
        Tensor x = w(1, 2);
        Tensor y = x.mul(x);
        Tensor d = y.detach();
        assertTrue(d.isLeaf() && !d.requiresGrad());
        y.detach().mul(x).sum().backward();
        assertArrayEquals(new double[] {1, 4}, x.grad().toArray(), "no gradient through the detached value");
        // detach shares values and the version counter
        Tensor c = Tensor.vector(1, 2);
        Tensor cd = c.detach();
        cd.add_(1);
        assertArrayEquals(new double[] {2, 3}, c.toArray());
        assertEquals(1, c.version());
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor r = x.mul(2.0);
            assertFalse(r.requiresGrad());
            assertTrue(r.isLeaf());
            try (GradMode.Scope e = GradMode.enableGrad()) {
                assertTrue(x.mul(2.0).requiresGrad());
            }
            x.sub_(1); // allowed: this is how SGD updates
            assertTrue(x.isLeaf() && x.requiresGrad());
        }
        assertTrue(GradMode.isEnabled());
        assertArrayEquals(new double[] {0, 1}, x.toArray());
        assertEquals(AutogradException.LEAF_INPLACE, message(() -> x.add_(1)));
    }

    @Test
    void inPlaceVersionCounter() {
        Tensor x = Tensor.vector(1, 2, 3, 4).reshape(2, 2).requiresGrad_(true);
        Tensor y = x.mul(2.0);
        Tensor e = y.exp();
        assertEquals(0, e.version());
        e.add_(1);
        assertEquals(1, e.version());
        assertEquals("AddBackward0", e.gradFn().name());
        String msg = message(() -> e.sum().backward());
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.DoubleTensor [2, 2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).", msg);
        assertNull(x.grad());
        // modifying what nobody saved is fine
        Tensor a = w(1, 2);
        Tensor b = a.add(1);
        b.mul_(3);
        b.sum().backward();
        assertArrayEquals(new double[] {3, 3}, a.grad().toArray());
        // a saved input modified twice
        Tensor p = w(1, 2);
        Tensor q = p.add(0.5);
        Tensor r = q.mul(q);
        q.add_(1).add_(1);
        assertTrue(message(() -> r.sum().backward()).contains("is at version 2; expected version 0 instead"));
        assertEquals("output with shape [3] doesn't match the broadcast shape [2, 3]", message(() -> Tensor.zeros(3).add_(Tensor.zeros(2, 3))));
        // views of a requiring leaf refuse in-place writes (torch's message); other views write through to their base
        Tensor leaf = w(1, 2, 3, 4);
        assertEquals("a view of a leaf Variable that requires grad is being used in an in-place operation.", message(() -> leaf.reshape(2, 2).add_(1)));
        assertEquals("a view of a leaf Variable that requires grad is being used in an in-place operation.", message(() -> leaf.select(0, 1).mul_(2)));
        Tensor base = Tensor.ones(2, 3);
        base.t().select(0, 1).zero_();
        assertArrayEquals(new double[] {1, 0, 1, 1, 0, 1}, base.toArray());
        assertEquals(1, base.version());
        Tensor nonLeaf = leaf.mul(2.0);
        nonLeaf.fill_(5);
        assertArrayEquals(new double[] {5, 5, 5, 5}, nonLeaf.toArray());
        assertFalse(nonLeaf.isLeaf());
        nonLeaf.sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 0}, leaf.grad().toArray(), "fill_ cuts the gradient to the old values");
    }

    @Test
    void broadcastingErrorsAndGradShapes() {
        assertEquals("The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1",
                message(() -> Tensor.zeros(2, 4).add(Tensor.zeros(2, 3))));
        assertEquals("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)", message(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3))));
        Tensor a = Tensor.ones(3, 1).requiresGrad_(true);
        a.add(a.t()).sum().backward();
        assertArrayEquals(new double[] {6, 6, 6}, a.grad().toArray());
        Tensor s = Tensor.scalar(2).requiresGrad_(true);
        s.sub(Tensor.ones(5)).sum().backward();
        assertEquals(0, s.grad().dim());
        assertEquals(5.0, s.grad().item());
    }

    @Test
    void hooks() {
        Tensor x = w(1);
        x.mul(3.0).sum().backward();
        List<Double> seen = new ArrayList<>();
        x.registerHook(g -> {
            seen.add(g.item());
            return null;
        });
        x.mul(5.0).sum().backward();
        assertEquals(List.of(5.0), seen, "a leaf hook sees the incoming gradient");
        assertEquals(8.0, x.grad().item());

        Tensor v = w(1);
        Tensor.HookHandle h = v.registerHook(g -> g.mul(10.0));
        v.mul(2.0).sum().backward();
        assertEquals(20.0, v.grad().item(), "a returned tensor replaces the gradient");
        h.remove();
        v.mul(2.0).sum().backward();
        assertEquals(22.0, v.grad().item());

        Tensor a = w(1);
        Tensor y = a.mul(2.0);
        List<Double> fired = new ArrayList<>();
        y.registerHook(g -> {
            fired.add(g.item());
            return null;
        });
        y.mul(3.0).add(y.mul(4.0)).sum().backward();
        assertEquals(List.of(7.0), fired, "a node used twice fires once with the summed gradient");
        assertNull(y.grad());

        Tensor b = w(1);
        Tensor z = b.mul(1.0);
        z.registerHook(g -> g.add(1));
        z.registerHook(g -> g.mul(2.0));
        z.sum().backward();
        assertEquals(4.0, b.grad().item(), "hooks chain in registration order");

        Tensor q = w(1, 2);
        Tensor qq = q.mul(2.0);
        qq.registerHook(g -> g.mul(0.0));
        qq.sum().backward();
        assertArrayEquals(new double[] {0, 0}, q.grad().toArray());

        assertEquals("cannot register a hook on a tensor that doesn't require gradient", message(() -> Tensor.vector(1).registerHook(g -> g)));
        Tensor bad = w(1, 2);
        Tensor bm = bad.mul(1.0);
        bm.registerHook(g -> g.sum());
        assertEquals("hook '<lambda>' has changed the size of value", message(() -> bm.sum().backward()));
    }

    @Test
    void functionalGradAndHigherOrder() {
        Tensor x = w(2);
        Tensor[] g1 = Autograd.grad(new Tensor[] {x.pow(4).sum()}, new Tensor[] {x}, null, true, null, false);
        Tensor[] g2 = Autograd.grad(new Tensor[] {g1[0].sum()}, new Tensor[] {x}, null, true, null, false);
        Tensor[] g3 = Autograd.grad(new Tensor[] {g2[0].sum()}, new Tensor[] {x}, null, false, null, false);
        assertEquals(32.0, g1[0].item());
        assertEquals(48.0, g2[0].item());
        assertEquals(48.0, g3[0].item(), "d3/dx3 x^4 = 24x");
        assertNull(x.grad(), "grad() touches no .grad");
        Tensor a = w(3), b = w(5);
        Tensor ga = Autograd.grad(new Tensor[] {a.mul(a).mul(b).sum()}, new Tensor[] {a}, null, true, null, false)[0];
        assertEquals(2 * 3.0, Autograd.grad(ga.sum(), b)[0].item(), "mixed partial d2(a^2 b)/da db = 2a");
        // Hessian-vector product of sum(x^3): H = diag(6x)
        Tensor v = w(1, 2);
        Tensor gv = Autograd.grad(new Tensor[] {v.pow(3).sum()}, new Tensor[] {v}, null, true, null, false)[0];
        Tensor hv = Autograd.grad(new Tensor[] {gv}, new Tensor[] {v}, new Tensor[] {Tensor.vector(1, 1)}, false, null, false)[0];
        assertArrayEquals(new double[] {6, 12}, hv.toArray());
        assertEquals(AutogradException.INPUT_NO_GRAD, message(() -> Autograd.grad(x.mul(2.0).sum(), Tensor.vector(1))));
        Tensor unused = w(1);
        assertEquals(AutogradException.INPUT_UNUSED, message(() -> Autograd.grad(x.mul(2.0).sum(), x, unused)));
        // backward(createGraph) makes .grad differentiable
        Tensor p = w(3);
        p.pow(3).sum().backward(null, false, true);
        assertNotNull(p.grad().gradFn());
        Tensor second = Autograd.grad(p.grad().sum(), p)[0];
        assertEquals(18.0, second.item());
        // a leaf hook does not fire when the leaf is an input of grad() (torch 1.13)
        Tensor h = w(1);
        List<Double> fired = new ArrayList<>();
        h.registerHook(g -> {
            fired.add(g.item());
            return null;
        });
        Autograd.grad(h.mul(2.0).sum(), h);
        assertTrue(fired.isEmpty());
    }

    @Test
    void gradCapturesBeforeHooksAndUpdatesRetainedGrads() {
        Tensor x = w(1, 2);
        Tensor y = x.mul(3.0);
        y.retainGrad();
        Tensor z = y.mul(y).sum();
        Autograd.grad(new Tensor[] {z}, new Tensor[] {x}, null, false, true, false);
        assertArrayEquals(new double[] {6, 12}, y.grad().toArray(), "retain_grad also fires inside grad()");
        y.registerHook(g -> g.mul(10.0));
        Tensor gy = Autograd.grad(new Tensor[] {z}, new Tensor[] {y}, null, false, true, false)[0];
        assertArrayEquals(new double[] {6, 12}, gy.toArray(), "the captured gradient is taken before the input's hooks");
        Tensor gx = Autograd.grad(new Tensor[] {z}, new Tensor[] {x}, null, false, true, false)[0];
        assertArrayEquals(new double[] {180, 360}, gx.toArray(), "hooks apply on the way through");
    }

    @Test
    void printing() {
        assertEquals("tensor([1., 2., 3.])", Tensor.vector(1, 2, 3).toString());
        assertEquals("tensor([ 1.5000,  2.2500, -3.0000])", Tensor.vector(1.5, 2.25, -3).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+05])", Tensor.vector(1e-5, 1e5).toString());
        assertEquals("tensor([1.2346e+08])", Tensor.vector(123456789).toString());
        assertEquals("tensor(1.0000e-08)", Tensor.scalar(1e-8).toString());
        assertEquals("tensor([])", Tensor.zeros(0).toString());
        assertEquals("tensor([], size=(0, 3))", Tensor.zeros(0, 3).toString());
        assertEquals("tensor([   nan,    inf,   -inf, 1.5000])", Tensor.vector(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5).toString());
        assertEquals("tensor([-0., 0.])", Tensor.vector(-0.0, 0.0).toString());
        assertEquals("tensor([1, 2])", Tensor.longs(new long[] {1, 2}, 2).toString());
        assertEquals("tensor([1., 2.], dtype=torch.float32)", Tensor.of(new float[] {1, 2}, 2).toString());
        Tensor x = Tensor.ones(2, 3).requiresGrad_(true);
        assertEquals("tensor([[1., 1., 1.],\n        [1., 1., 1.]], requires_grad=True)", x.toString());
        assertEquals("tensor([[2., 2., 2.],\n        [2., 2., 2.]], dtype=torch.float32, grad_fn=<MulBackward0>)", x.to(DType.FLOAT32).mul(2.0).toString().replace("ToCopyBackward0", "x"));
        assertEquals("tensor([[[0., 0.],\n         [0., 0.]],\n\n        [[0., 0.],\n         [0., 0.]]])", Tensor.zeros(2, 2, 2).toString());
        String wide = Tensor.arange(30).toString();
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n        28., 29.])", wide);
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])", Tensor.arange(2000).toString());
        assertEquals("tensor([[5.0000e-01, 1.5000e+00, 2.5000e+00,  ..., 4.7500e+01, 4.8500e+01,\n         4.9500e+01],\n        [5.0500e+01, 5.1500e+01, 5.2500e+01,  ..., 9.7500e+01, 9.8500e+01,\n         9.9500e+01],\n        [1.0050e+02, 1.0150e+02, 1.0250e+02,  ..., 1.4750e+02, 1.4850e+02,\n         1.4950e+02],\n        ...,\n        [1.8505e+03, 1.8515e+03, 1.8525e+03,  ..., 1.8975e+03, 1.8985e+03,\n         1.8995e+03],\n        [1.9005e+03, 1.9015e+03, 1.9025e+03,  ..., 1.9475e+03, 1.9485e+03,\n         1.9495e+03],\n        [1.9505e+03, 1.9515e+03, 1.9525e+03,  ..., 1.9975e+03, 1.9985e+03,\n         1.9995e+03]])",
                Tensor.arange(2000).reshape(40, 50).add(0.5).toString());
    }

    @Test
    void dtypes() {
        Tensor x32 = Tensor.of(new float[] {1.5f, 2}, 2).requiresGrad_(true);
        Tensor y64 = w(3, 4);
        Tensor z = x32.mul(y64);
        assertEquals(DType.FLOAT64, z.dtype());
        z.sum().backward();
        assertEquals(DType.FLOAT32, x32.grad().dtype());
        assertEquals(DType.FLOAT32, x32.mul(2.5).dtype());
        assertEquals(DType.FLOAT32, x32.mul(Tensor.scalar(2)).dtype(), "a 0-dim float64 does not promote float32");
        assertEquals(DType.FLOAT32, Tensor.longs(new long[] {1}, 1).mul(Tensor.of(new float[] {1}, 1)).dtype());
        Tensor q = Tensor.longs(new long[] {1, 3}, 2).div(Tensor.longs(new long[] {2, 2}, 2));
        assertEquals(DType.FLOAT32, q.dtype());
        assertArrayEquals(new double[] {0.5, 1.5}, q.toArray());
        assertEquals((double) (float) 0.1, Tensor.of(new float[] {0.1f}, 1).add(0.0).item(), "float32 values stay float32");
    }

    @Test
    void lossConventionsAndErrors() {
        Tensor logits = Tensor.matrix(new double[][] {{1, 2, 3}, {1, 1, 1}}).requiresGrad_(true);
        Tensor target = Tensor.longs(new long[] {2, 0}, 2);
        Functional.crossEntropy(logits, target).backward();
        Tensor expected = GradMode.noGrad(() -> logits.softmax(1).sub(Tensor.matrix(new double[][] {{0, 0, 1}, {1, 0, 0}})).div(2));
        assertArrayEquals(expected.toArray(), logits.grad().toArray(), 1e-15);
        assertEquals("expected scalar type Long but found Double", message(() -> Functional.crossEntropy(logits, Tensor.vector(2, 0))));
        assertEquals("Target 3 is out of bounds.", message(() -> Functional.crossEntropy(logits, Tensor.longs(new long[] {3, 0}, 2))));
        Tensor p = w(1, 2, 3);
        Functional.mseLoss(p, Tensor.vector(0, 0, 0)).backward();
        assertArrayEquals(new double[] {2.0 / 3, 4.0 / 3, 2.0}, p.grad().toArray(), 1e-15);
    }

    @Test
    void kinkConventions() {
        double[][] cases = {
            grad0(t -> t.relu()), {0}, grad0(t -> t.abs()), {0}, grad0(t -> t.sqrt()), {Double.POSITIVE_INFINITY},
            grad0(t -> t.log()), {Double.POSITIVE_INFINITY}, grad0(t -> t.pow(2)), {0}, grad0(t -> t.pow(0.5)), {Double.POSITIVE_INFINITY},
            grad0(t -> t.sigmoid()), {0.25}, grad0(t -> t.tanh()), {1}, grad0(t -> t.pow(0)), {0}};
        for (int i = 0; i < cases.length; i += 2) assertArrayEquals(cases[i + 1], cases[i], "case " + i / 2);
        Tensor m = w(1, 3, 3);
        m.max().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5}, m.grad().toArray(), "full max splits ties");
        Tensor md = w(1, 3, 3);
        md.max(0, false).backward();
        assertArrayEquals(new double[] {0, 1, 0}, md.grad().toArray(), "max(dim) sends all to the returned index");
    }

    @Test
    void clampMaximumNormConventions() {
        Tensor x = Tensor.vector(0, 0.5, 1).requiresGrad_(true);
        x.clamp(0.0, 1.0).sum().backward();
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toArray(), "clamp boundaries count as inside");
        assertArrayEquals(new double[] {1}, grad0(t -> t.clamp(0.0, null)));
        assertEquals("ClampBackward1", x.clamp(0.0, null).gradFn().name());
        Tensor a = w(2), b = w(2);
        a.maximum(b).sum().backward();
        assertEquals(0.5, a.grad().item());
        assertEquals(0.5, b.grad().item());
        Tensor z = w(0, 0);
        z.norm().backward();
        assertArrayEquals(new double[] {0, 0}, z.grad().toArray(), "norm() at zero has gradient 0");
        Tensor z2 = w(0, 0);
        z2.mul(z2).sum().sqrt().backward();
        assertTrue(Double.isNaN(z2.grad().toArray()[0]), "sqrt(sum(x*x)) at zero gives NaN, as torch");
        assertEquals("NormBackward1", z.norm().gradFn().name());
        assertEquals("LogsumexpBackward0", w(1, 2).logsumexp(0, false).gradFn().name());
    }

    private static double[] grad0(java.util.function.UnaryOperator<Tensor> f) {
        Tensor x = w(0);
        f.apply(x).sum().backward();
        return x.grad().toArray();
    }

    /** torch.logsumexp([[-inf, -inf, -inf], [1, inf, 2], [0.5, -inf, 1.5]], 1) in both dtypes: an infinite max counts as 0. */
    @Test
    void logsumexpOfInfiniteRowsIsInfiniteNotNaN() {
        double inf = Double.POSITIVE_INFINITY;
        double[] x = {-inf, -inf, -inf, 1, inf, 2, 0.5, -inf, 1.5};
        double[][] torch = {{-inf, inf, 1.81326162815094}, {-inf, inf, 1.8132616875182228}};
        DType[] dtypes = {DType.FLOAT32, DType.FLOAT64};
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(torch[k], Tensor.of(x, new int[] {3, 3}, dtypes[k]).logsumexp(1, false).toArray(), dtypes[k].toString());
            assertEquals(-inf, Tensor.of(new double[] {-inf}, new int[0], dtypes[k]).logsumexp(0, false).item(), dtypes[k] + " 0-dim");
        }
    }
}
