/**
 * A PyTorch-faithful reverse-mode automatic differentiation engine (no Spark dependency).
 *
 * <p>{@link org.capeval.autograd.Tensor}: n-dimensional, row-major values in a flat double array
 * (float64 by default, float32 rounded after every op, int64 for indices); {@code requiresGrad_},
 * {@code grad()}, {@code gradFn()} (nodes named as torch: AddBackward0, MulBackward0, MmBackward0,
 * ...), {@code backward(gradient, retainGraph, createGraph)}, {@code detach()}, {@code retainGrad()},
 * {@code registerHook}, in-place ops with a version counter. Ops: add/sub/mul/div/pow (broadcasting,
 * scalar variants), neg/exp/log/sqrt/abs/tanh/sigmoid/relu, sum/mean/max/argmax, matmul/mm,
 * transpose/permute/reshape/view/squeeze/unsqueeze/expand, cat/stack/slice/select/indexSelect/gather,
 * softmax/logSoftmax. {@link org.capeval.autograd.Functional}: cross-entropy (class indices), MSE,
 * linear. {@link org.capeval.autograd.Autograd#grad}: functional gradients, higher order with
 * createGraph. {@link org.capeval.autograd.GradMode}: noGrad scopes (per thread).
 * {@link org.capeval.autograd.GradCheck}: finite-difference gradient checking.
 *
 * <p>{@code org.capeval.autograd.nn}: Module, Linear, Activation, Sequential (and
 * {@code Sequential.mlp}), Parameters (flat parameter and gradient vectors for Spark).
 * {@code org.capeval.autograd.optim}: SGD (momentum, nesterov, weight decay), Adam; {@code zeroGrad()}
 * sets grads to null.
 *
 * <p>Semantics follow torch 1.13 (see ../shared/spec/autograd-semantics.md), including error texts,
 * the lazy freeing of saved values and the order in which a backward pass runs its nodes. Shape ops
 * return copies rather than aliasing views (in-place writes on their results are refused). Graphs
 * are per thread and per task: never share one graph between threads; ship flat gradient arrays
 * ({@code Module.flatGradients()}), not graphs.
 */
package org.capeval.autograd;
