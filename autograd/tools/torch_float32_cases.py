#!/usr/bin/python3
"""Float32 ops in PyTorch (Debian python3-torch 1.13, CPU, AVX2 kernels), written in the
autograd-oracle-cases format: element-wise arithmetic with tensors, broadcast operands and scalars,
sums and means of many lengths, exp/log/sigmoid/tanh/sqrt, softmax and log_softmax along the last and
other dims, nll_loss, cross-entropy, mse_loss, pow by a scalar and by a tensor, clamp, maximum, norm,
logsumexp, tanh_backward (also in float64), gradients at repeated indices, the binary cross-entropy
written with basic ops, sums over dims on both sides of a kept one, small matrix products (mm, linear,
row vectors, folded and batched matmul, mv, dot), softmax's and log_softmax's backward ops with a graph and
second derivatives through them, with their gradients:

    /usr/bin/python3 autograd/tools/torch_float32_cases.py autograd/src/test/resources/autograd/float32-cases.json

Inputs are full-precision floats (not short decimals), so every rounding shows. Each case carries
its tolerance: 0 where torch's result is exactly reproducible (arithmetic in float, sums in torch's
order), else four ulps relative (5e-7) plus two ulps at the inputs' scale (2e-7 absolute): torch's
vectorized exp, log and tanh are within an ulp of the correctly rounded value, its sigmoid within
two, and such a difference carries into the ops after them (the log of 1 - sigmoid, softmax after
its exps, pow's general exponents). Small products follow the sgemm of the machine's OpenBLAS (0.3.21, Zen
kernels here; the Haswell ones are the same), which torch calls for them.
"""
import json, sys
import torch
import torch.nn.functional as F
torch.set_num_threads(1)
G = torch.Generator().manual_seed(32)
EXACT = {"rtol": 0.0, "atol": 0.0}
ULPS = {"rtol": 5e-7, "atol": 2e-7}

def T(t):
    if t is None: return None
    t = t.detach()
    return {"dtype": {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64"}[t.dtype],
            "shape": list(t.shape), "data": t.reshape(-1).tolist()}

def apply(op, args, at):
    a = args[0]
    if op in ("add", "sub", "mul", "div"): return getattr(torch, op)(a, args[1])
    s = at.get("scalar")
    if op == "add_scalar": return a + s
    if op == "sub_scalar": return a - s
    if op == "mul_scalar": return a * s
    if op == "div_scalar": return a / s
    if op == "rsub_scalar": return s - a
    if op in ("neg", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu"): return getattr(torch, op)(a)
    if op in ("sum", "mean"):
        if at.get("dim") is None: return getattr(a, op)()
        return getattr(a, op)(at["dim"], keepdim=at.get("keepdim", False))
    if op == "softmax": return a.softmax(at["dim"])
    if op == "log_softmax": return a.log_softmax(at["dim"])
    if op == "cross_entropy": return F.cross_entropy(a, args[1], reduction=at["reduction"])
    if op == "mse_loss": return F.mse_loss(a, args[1], reduction=at["reduction"])
    if op == "nll_loss": return F.nll_loss(a, args[1], reduction=at["reduction"])
    if op == "pow_scalar": return a.pow(at["exponent"])
    if op == "clamp": return a.clamp(at.get("min"), at.get("max"))
    if op == "maximum": return torch.maximum(a, args[1])
    if op == "norm": return a.norm()
    if op == "index_select": return torch.index_select(a, at["dim"], args[1])
    if op == "gather": return torch.gather(a, at["dim"], args[1])
    if op == "tanh_backward": return torch.ops.aten.tanh_backward(a, args[1])
    if op == "softmax_backward_data": return torch._softmax_backward_data(a, args[1], at["dim"], torch.float32)
    if op == "log_softmax_backward_data": return torch._log_softmax_backward_data(a, args[1], at["dim"], torch.float32)
    if op == "logsumexp": return a.logsumexp(at["dim"], keepdim=at.get("keepdim", False))
    if op == "matmul": return torch.matmul(a, args[1])
    if op == "linear": return F.linear(a, args[1], args[2] if len(args) > 2 else None)
    if op == "pow": return torch.pow(a, args[1])
    raise ValueError(op)

class Case:
    def __init__(self, cid, cat, tol):
        self.id, self.cat, self.tol = cid, cat, tol
        self.inputs, self.env, self.prog, self.tracked = {}, {}, [], []
    def add(self, t, grad):
        n = ("w%d" if grad else "c%d") % len(self.inputs)
        t = t.requires_grad_(grad)
        self.inputs[n] = dict(T(t), requires_grad=grad); self.env[n] = t
        if grad: self.tracked.append(n)
        return n
    def randn(self, shape, grad=False, scale=1.0):
        return self.add(torch.randn(shape, generator=G) * scale, grad)
    def uniform(self, shape, lo, hi, grad=False):
        return self.add(torch.rand(shape, generator=G) * (hi - lo) + lo, grad)
    def longs(self, data):
        n = "i%d" % len(self.inputs); t = torch.tensor(data, dtype=torch.int64)
        self.inputs[n] = dict(T(t), requires_grad=False); self.env[n] = t; return n
    def op(self, op, args, **at):
        out = "v%d" % len(self.prog)
        r = apply(op, [self.env[a] for a in args], at)
        self.env[out] = r
        ins = {"kind": "op", "op": op, "args": args, "out": out,
               "expect": {"value": T(r), "requires_grad": r.requires_grad, "grad_fn": type(r.grad_fn).__name__ if r.grad_fn else None}}
        if at: ins["attrs"] = at
        self.prog.append(ins); return out
    def backward(self, root, gradient=None):
        self.env[root].backward(gradient)
        self.prog.append({"kind": "backward", "root": root, "gradient": T(gradient), "retain_graph": False,
                          "expect_grads": {n: T(self.env[n].grad) for n in self.tracked}})
    def grad(self, outputs, inputs, grad_outputs=None, create_graph=False):
        res = torch.autograd.grad([self.env[o] for o in outputs], [self.env[i] for i in inputs],
                                  grad_outputs, create_graph=create_graph, retain_graph=True)
        names = ["d%d" % (len(self.prog) + j) for j in range(len(res))]
        for n, r in zip(names, res): self.env[n] = r
        self.prog.append({"kind": "grad", "outputs": outputs, "inputs": inputs,
                          "grad_outputs": None if grad_outputs is None else [T(t) for t in grad_outputs],
                          "create_graph": create_graph, "retain_graph": True, "allow_unused": False, "out": names,
                          "expect_values": {n: {"value": T(r), "requires_grad": r.requires_grad} for n, r in zip(names, res)}})
        return names
    def dump(self):
        return {"id": self.id, "category": self.cat, "inputs": self.inputs, "program": self.prog, "tolerance": self.tol}

cases = []
def case(cid, cat, tol, build):
    c = Case(cid, cat, tol); build(c); cases.append(c.dump())

# arithmetic in float: tensor operands, broadcasting, scalars rounded to float first (0.1, 1/3 are not floats)
def arith(c):
    a, b = c.randn([6, 7], True), c.uniform([6, 7], 0.5, 2, True)
    row, col = c.randn([7], True), c.randn([6, 1], True)
    v = c.op("mul", [a, b]); v = c.op("div", [v, b]); v = c.op("sub", [v, row]); v = c.op("add", [v, col])
    v = c.op("mul", [v, col]); v = c.op("div", [v, c.op("add_scalar", [b], scalar=0.1)])
    v = c.op("mul_scalar", [v], scalar=0.1); v = c.op("div_scalar", [v], scalar=3.0); v = c.op("rsub_scalar", [v], scalar=1.0 / 3)
    v = c.op("sub_scalar", [v], scalar=0.7)
    c.backward(c.op("sum", [v]))
case("f32_arith_broadcast_scalars", "arith", EXACT, arith)

# contiguous sums: below a vector, whole vectors, tails, the cascade's levels
for n in [1, 3, 7, 8, 9, 16, 31, 33, 64, 100, 257, 1000, 4099, 10000]:
    def s(c, n=n):
        x = c.randn([n], True, 3.0)
        c.backward(c.op("sum", [x]))
        c.op("mean", [x])
    case("f32_sum_%d" % n, "sum", EXACT, s)
def rows(c):
    x = c.randn([5, 37], True)
    c.op("sum", [x], dim=1); c.op("sum", [x], dim=-1, keepdim=True); c.op("mean", [x], dim=1)
    y = c.randn([3, 4, 9])
    c.op("sum", [y], dim=[1, 2]); c.op("sum", [c.randn([20, 1])], dim=0)
    c.backward(c.op("sum", [c.op("mean", [x], dim=1)]))
case("f32_sum_rows", "sum", EXACT, rows)
# sums over leading dims: columns by groups of 32 (4 when under 8 columns), the rest one by one
for rows, cols in [(6, 7), (37, 5), (37, 16), (100, 20), (1000, 3), (300, 40), (2000, 9)]:
    def cs(c, rows=rows, cols=cols):
        x = c.randn([rows, cols], True)
        c.op("sum", [x], dim=0); c.op("mean", [x], dim=0, keepdim=True)
        c.backward(c.op("sum", [c.op("sum", [x], dim=0)]))
    case("f32_sum_columns_%dx%d" % (rows, cols), "sum", EXACT, cs)
def leading(c):
    c.op("sum", [c.randn([4, 5, 6])], dim=[0, 1]); c.op("sum", [c.randn([30, 1, 12])], dim=0)
case("f32_sum_leading_dims", "sum", EXACT, leading)
def middle(c):
    c.op("sum", [c.randn([3, 50, 4])], dim=1); c.op("mean", [c.randn([3, 50, 4])], dim=1); c.op("sum", [c.randn([2, 7, 9, 5])], dim=[1, 2])
case("f32_sum_middle_dims", "sum", EXACT, middle)

# exp, log, sigmoid, tanh, sqrt: torch's vectorized float versions are within an ulp of the correctly rounded value
def unary(c):
    x = c.randn([1000], True, 4.0)
    for op in ["exp", "sigmoid", "tanh"]:
        c.op(op, [x])
    p = c.op("add_scalar", [c.op("abs", [x])], scalar=0.01)
    c.op("log", [p]); c.op("sqrt", [p])
    # (not tanh: 1 - tanh^2 turns tanh's one-ulp difference at |x| ~ 4 into a relative 1e-3)
    c.backward(c.op("sum", [c.op("mul", [c.op("sigmoid", [x]), c.op("exp", [x])])]))
case("f32_unary", "unary", ULPS, unary)

# the benchmark's logistic loss: binary cross-entropy from basic ops, summed; its gradient
def bce(c):
    z, y = c.randn([1000, 1], True), c.add((torch.rand([1000, 1], generator=G) < 0.5).float(), False)
    p = c.op("sigmoid", [z])
    l = c.op("neg", [c.op("sum", [c.op("add", [c.op("mul", [y, c.op("log", [p])]),
             c.op("mul", [c.op("rsub_scalar", [y], scalar=1.0), c.op("log", [c.op("rsub_scalar", [p], scalar=1.0)])])])])])
    c.backward(l)
case("f32_bce_from_basic_ops", "loss", ULPS, bce)

def losses(c):
    x, t = c.randn([8, 5], True), c.randn([8, 5])
    c.op("softmax", [x], dim=1); c.op("log_softmax", [x], dim=1)
    c.op("mse_loss", [x, t], reduction="mean")
    l = c.op("cross_entropy", [x, c.longs([0, 4, 2, 1, 3, 3, 0, 2])], reduction="mean")
    c.backward(l)
case("f32_softmax_losses", "loss", ULPS, losses)

# softmax and log_softmax along the last dim (torch's vector reductions: under 8, whole vectors, tails) and
# along another dim (one float sum per position), forward and backward under a random upstream gradient
def weighted(c, v, shape):
    return c.op("sum", [c.op("mul", [v, c.randn(shape)])])
for shape, dim in [([4, 3], 1), ([6, 8], 1), ([5, 13], -1), ([3, 100], 1), ([2, 1000], 1), ([2, 3, 37], 2),
                   ([4, 9, 11], 1), ([7, 5], 0), ([3, 20, 6], 1)]:
    for op in ["softmax", "log_softmax"]:
        def sm(c, shape=shape, dim=dim, op=op):
            x = c.randn(shape, True, 3.0)
            c.backward(weighted(c, c.op(op, [x], dim=dim), shape))
        case("f32_%s_%s_dim%d" % (op, "x".join(map(str, shape)), dim), "softmax", ULPS, sm)

# the backward kernels alone, from torch's own forward output: softmax's bit for bit (its reduction order and
# fused multiply-adds), log_softmax's through its exp
for shape, dim in [([4, 3], 1), ([6, 8], 1), ([5, 13], -1), ([3, 100], 1), ([2, 1000], 1), ([4, 9, 11], 1), ([7, 5], 0)]:
    for op, tol in [("softmax", EXACT), ("log_softmax", ULPS)]:
        def smb(c, shape=shape, dim=dim, op=op):
            y = c.add(getattr(torch, op)(torch.randn(shape, generator=G) * 3, dim), False)
            c.op(op + "_backward_data", [c.randn(shape), y], dim=dim)
        case("f32_%s_backward_data_%s_dim%d" % (op, "x".join(map(str, shape)), dim), "softmax", tol, smb)

# nll_loss on given log-probabilities: picked values summed in torch's cascade, bit for bit
for n in [1, 5, 17, 100, 1000, 5000]:
    def nll(c, n=n):
        lp = c.randn([n, 7], True)
        t = c.longs(torch.randint(0, 7, [n], generator=G).tolist())
        c.op("nll_loss", [lp, t], reduction="none"); c.op("nll_loss", [lp, t], reduction="sum")
        c.backward(c.op("nll_loss", [lp, t], reduction="mean"))
    case("f32_nll_loss_%d" % n, "loss", EXACT, nll)
for n, ncls in [(64, 10), (1000, 3)]:
    def ce(c, n=n, ncls=ncls):
        x = c.randn([n, ncls], True, 2.0)
        t = c.longs(torch.randint(0, ncls, [n], generator=G).tolist())
        c.op("cross_entropy", [x, t], reduction="sum")
        c.backward(c.op("cross_entropy", [x, t], reduction="mean"))
    case("f32_cross_entropy_%dx%d" % (n, ncls), "loss", ULPS, ce)

# mse_loss: squared differences in float, torch's sum and mean, gradient alpha (x - t) g; bit for bit
for shape in [[5], [8, 5], [1000], [100, 37]]:
    for red in ["mean", "sum", "none"]:
        def mse(c, shape=shape, red=red):
            x, t = c.randn(shape, True), c.randn(shape, True)
            v = c.op("mse_loss", [x, t], reduction=red)
            c.backward(v if red != "none" else weighted(c, v, shape))
        case("f32_mse_loss_%s_%s" % ("x".join(map(str, shape)), red), "loss", EXACT, mse)

# pow by a scalar: products, sqrt, reciprocals bit for bit; other exponents by pow, within an ulp (so are the
# gradients of -2 and -0.5, whose x^(p-1) is a general pow)
for p, tol in [(2.0, EXACT), (3.0, EXACT), (-2.0, ULPS), (0.5, EXACT), (-0.5, ULPS), (-1.0, EXACT), (1.5, ULPS), (-2.5, ULPS)]:
    def pw(c, p=p):
        x = c.uniform([300], 0.2, 3.0, True)
        c.backward(weighted(c, c.op("pow_scalar", [x], exponent=p), [300]))
    case("f32_pow_scalar_%g" % p, "pow", tol, pw)

# clamp, maximum (ties share the gradient), the 2-norm (torch's vectorized lanes), logsumexp
def minmax(c):
    x = c.randn([50, 9], True)
    y = c.add(torch.where(torch.rand([50, 9], generator=G) < 0.2, c.env[x].detach(), torch.randn([50, 9], generator=G)), True)
    v = c.op("clamp", [x], min=-0.3, max=0.7)
    w = c.op("clamp", [x], min=0.1)
    m = c.op("maximum", [x, y])
    c.backward(c.op("add", [c.op("add", [weighted(c, v, [50, 9]), weighted(c, w, [50, 9])]), weighted(c, m, [50, 9])]))
case("f32_clamp_maximum", "pointwise", EXACT, minmax)
for n in [5, 8, 13, 100, 1000, 4099]:
    def nm(c, n=n):
        x = c.randn([n], True, 3.0)
        c.backward(c.op("norm", [x]))
    case("f32_norm_%d" % n, "reduce", EXACT, nm)
# tanh's backward op from torch's own output, g (1 - y y) with a fused multiply-add in float and double, and
# the gradients through it (a graph built by a backward pass); bit for bit
for dtype in [torch.float32, torch.float64]:
    def tb(c, dtype=dtype):
        g = c.add(torch.randn([300], generator=G, dtype=dtype), True)
        y = c.add(torch.tanh(torch.randn([300], generator=G, dtype=dtype) * 2), True)
        c.backward(c.op("tanh_backward", [g, y]), torch.randn([300], generator=G, dtype=dtype))
    case("tanh_backward_%s" % str(dtype)[6:], "pointwise", EXACT, tb)

# gradients added at repeated indices (index_select's index_add_, gather's scatter_add) add in float; bit for bit
def repeated(c):
    x = c.randn([6, 5], True)
    i = c.longs(torch.randint(0, 6, [40], generator=G).tolist())
    v = c.op("index_select", [x, i], dim=0)
    j = c.longs(torch.randint(0, 5, [6, 30], generator=G).tolist())
    w = c.op("gather", [x, j], dim=1)
    c.backward(c.op("add", [weighted(c, v, [40, 5]), weighted(c, w, [6, 30])]))
case("f32_repeated_index_grads", "index", EXACT, repeated)

def lse(c):
    x = c.randn([6, 40], True, 3.0)
    c.op("logsumexp", [x], dim=0)
    c.backward(weighted(c, c.op("logsumexp", [x], dim=1, keepdim=True), [6, 1]))
case("f32_logsumexp", "reduce", ULPS, lse)

# sums over dims on both sides of a kept one: torch's iterator takes the innermost run of summed dims as rows
# (its vector order when contiguous and 8 or more long, else a strided scalar row sum) and adds the rows to the
# result one by one, in row-major order of the other summed dims; bit for bit
for shape, dims in [([3, 40, 5], [0, 2]), ([4, 5, 6], [0, 2]), ([6, 3, 20], [0, 2]), ([50, 2, 37], [0, 2]),
                    ([2, 7, 9, 5], [0, 2]), ([2, 7, 9, 5], [1, 3]), ([3, 4, 5, 6], [0, 1, 3]), ([5, 3, 4, 2, 9], [0, 2, 4]),
                    ([40, 1, 3, 64], [0, 3]), ([7, 3, 1, 4, 11], [0, 3, 4])]:
    def ss(c, shape=shape, dims=dims):
        x = c.randn(shape, True, 3.0)
        c.op("sum", [x], dim=dims); c.op("mean", [x], dim=dims, keepdim=True)
        c.backward(c.op("sum", [c.op("mean", [x], dim=dims)]))
    case("f32_sum_split_dims_%s_%s" % ("x".join(map(str, shape)), "".join(map(str, dims))), "sum", EXACT, ss)

# small products (under the BLAS size): torch's sgemm from OpenBLAS 0.3.21 (Zen/Haswell kernels): chains of fused
# multiply-adds along k in blocks of 320, two chains (even and odd k) in some tiles; with and without a bias, row
# vectors, (..., n, k) @ (k, m) folded into one product, batched products (a plain loop under 400 multiply-adds,
# sgemm per batch above); gradients are products of the same kinds; bit for bit
for n, k, m in [(2, 3, 4), (8, 8, 8), (9, 17, 13), (5, 8, 6), (12, 5, 16), (24, 9, 17), (13, 21, 40), (33, 7, 50),
                (30, 30, 30), (3, 400, 4), (4, 700, 3), (3, 641, 5), (1, 300, 7)]:
    def mmc(c, n=n, k=k, m=m):
        a, b = c.randn([n, k], True), c.randn([k, m], True)
        c.backward(weighted(c, c.op("matmul", [a, b]), [n, m]))
    case("f32_mm_%dx%dx%d" % (n, k, m), "matmul", EXACT, mmc)
for n, k, m in [(16, 20, 10), (5, 30, 12), (64, 8, 60), (1, 40, 9)]:
    def lin(c, n=n, k=k, m=m):
        x, w, b = c.randn([n, k], True), c.randn([m, k], True), c.randn([m], True)
        c.backward(weighted(c, c.op("linear", [x, w, b]), [n, m]))
    case("f32_linear_%dx%dx%d" % (n, k, m), "matmul", EXACT, lin)
def rowvec(c):
    v, w = c.randn([17], True), c.randn([17, 9], True)
    c.backward(weighted(c, c.op("matmul", [v, w]), [9]))
case("f32_matmul_row_vector", "matmul", EXACT, rowvec)
def folded(c):
    a, b = c.randn([3, 5, 7], True), c.randn([7, 6], True)
    c.backward(weighted(c, c.op("matmul", [a, b]), [3, 5, 6]))
case("f32_matmul_folded_3d_2d", "matmul", EXACT, folded)
for bs, n, k, m in [(3, 2, 3, 4), (2, 5, 7, 9), (4, 8, 8, 8), (2, 3, 50, 4)]:
    def bmm(c, bs=bs, n=n, k=k, m=m):
        a, b = c.randn([bs, n, k], True), c.randn([bs, k, m], True)
        c.backward(weighted(c, c.op("matmul", [a, b]), [bs, n, m]))
    case("f32_bmm_%dx%dx%dx%d" % (bs, n, k, m), "matmul", EXACT, bmm)

# dot: the sdot torch calls (OpenBLAS's: 32 lanes of fused multiply-adds, folded; the rest in double); bit for bit
for n in [1, 5, 31, 32, 33, 64, 100, 257, 1000]:
    def dt(c, n=n):
        a, b = c.randn([n], True), c.randn([n], True)
        c.backward(c.op("matmul", [a, b]))
    case("f32_dot_%d" % n, "matmul", EXACT, dt)

# matrix @ vector: torch's mv calls sgemv, "T" on a row-major matrix and "N" on a transposed one (mv's
# backward for the vector); OpenBLAS's kernels: lanes of fused multiply-adds or rounded products, blocks of 4096
# rows, the last rows mod 4 apart; bit for bit
for n, k in [(2, 3), (5, 7), (11, 13), (6, 19), (8, 2), (1, 31), (13, 40), (3, 100), (7, 300), (4, 4), (9, 12),
             (16, 30), (31, 1), (12, 3), (17, 2), (3, 4097), (2, 8195)]:
    def mv(c, n=n, k=k):
        a, v = c.randn([n, k], True), c.randn([k], True)
        c.backward(weighted(c, c.op("matmul", [a, v]), [n]))
    case("f32_mv_%dx%d" % (n, k), "matmul", EXACT, mv)

# pow with a tensor exponent: torch's vectorized powf is within an ulp of the correctly rounded value, ours is
# that value; its gradients are 0 where torch's formulas put 0 (a^b's for a at b = 0, for b at a = 0, b >= 0)
def powt(c):
    x, e = c.uniform([200], 0.1, 3.0, True), c.randn([200], True, 2.0)
    v = c.op("pow", [x, e])
    z = c.add(torch.tensor([0.0, 0.0, 2.0, 0.0, 1.5]), True)
    f = c.add(torch.tensor([0.0, 2.0, 0.0, 3.0, 0.0]), True)
    w = c.op("pow", [z, f])
    c.backward(c.op("add", [weighted(c, v, [200]), weighted(c, w, [5])]))
case("f32_pow_tensor", "pow", ULPS, powt)
def powb(c):
    x, e = c.uniform([6, 9], 0.1, 3.0, True), c.randn([9], True)
    c.backward(weighted(c, c.op("pow", [x, e]), [6, 9]))
case("f32_pow_tensor_broadcast", "pow", ULPS, powb)

# the backward kernels as ops with a graph (createGraph): the same values, and torch's gradients through them,
# from torch's own softmax output; softmax's bit for bit, log_softmax's through its exp
for shape, dim in [([4, 3], 1), ([6, 8], 1), ([3, 100], 1), ([4, 9, 11], 1), ([7, 5], 0)]:
    for op, tol in [("softmax", EXACT), ("log_softmax", ULPS)]:
        def smg(c, shape=shape, dim=dim, op=op):
            y = c.add(getattr(torch, op)(torch.randn(shape, generator=G) * 3, dim), True)
            g = c.randn(shape, True)
            c.backward(weighted(c, c.op(op + "_backward_data", [g, y], dim=dim), shape))
        case("f32_%s_backward_data_graph_%s_dim%d" % (op, "x".join(map(str, shape)), dim), "softmax", tol, smg)
# a second derivative through softmax and log_softmax (grad with create_graph, then backward)
for op in ["softmax", "log_softmax"]:
    def sm2(c, op=op):
        x = c.randn([5, 12], True, 2.0)
        l = weighted(c, c.op(op, [x], dim=1), [5, 12])
        (gx,) = c.grad([l], [x], create_graph=True)
        c.backward(weighted(c, gx, [5, 12]))
    case("f32_%s_second_derivative" % op, "softmax", ULPS, sm2)

json.dump({"format": "autograd-oracle-cases", "format_version": 1, "generator": "autograd/tools/torch_float32_cases.py",
           "torch_version": torch.__version__, "dtype": "float32",
           "note": "float32 programs; each case has its own tolerance (0 = bit for bit), see the generator's docstring",
           "cases": cases}, open(sys.argv[1], "w"))
print(len(cases), "cases")
