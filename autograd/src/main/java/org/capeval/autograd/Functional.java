package org.capeval.autograd;

/** Neural-network functions in the spirit of {@code torch.nn.functional}. */
public final class Functional {
    private Functional() {}

    /** log_softmax over dim 1 then the negative log-likelihood of the int64 class indices; mean over the batch. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return LossOps.crossEntropy(logits, target, Reduction.MEAN);
    }

    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        return LossOps.crossEntropy(logits, target, reduction);
    }

    public static Tensor nllLoss(Tensor logProbs, Tensor target, Reduction reduction) {
        return LossOps.nllLoss(logProbs, target, reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return LossOps.mseLoss(input, target, Reduction.MEAN);
    }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return LossOps.mseLoss(input, target, reduction);
    }

    /** {@code x @ weight^T + bias} (bias may be null), as torch.nn.functional.linear. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return MatmulOps.linear(x, weight, bias);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }
}
