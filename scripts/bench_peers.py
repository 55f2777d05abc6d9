#!/usr/bin/env python3
"""The Benchmarks workloads written the way a student writes them, in PyTorch, NumPy and JAX.

    python3 scripts/bench_peers.py [--frameworks torch,numpy,jax] \
        [--only gemm,overhead,load,c1,c2,c3,c4] [--runs N] [--data DIR] [--json FILE]

    python3 scripts/bench_peers.py --compare [--rounds N] [--only ...]   # ours vs peers

Workloads (the same as `swift run -c release Benchmarks`, see Sources/Benchmarks):
  C1  784-200-200-10 ReLU MLP, SGD lr 0.1, batch 16, one shuffled epoch of MNIST, cross-entropy
  C2  the same with batch 1024
  C3  784-3136-1568-10, batch 32: 150 of the 1875 steps timed, extrapolated to the epoch
  C4  logistic regression 784→1 on the 11,791 training images of 4 and 9 (9 positive),
      sigmoid + BCE + 1e-3·‖w‖², full-batch gradient descent lr 0.5, 1000 iterations
  overhead  1-element multiply with autograd, forward and forward + backward (torch only)
  gemm      float32 A·B for 1024² and the training shapes (numpy, torch, jax)
  load      all 70,000 MNIST images, IDX → float32 arrays (numpy)

Figures go to --json as {name: {value, unit}}, names prefixed by the framework
("torch C1 784-200-200-10 b16"), the same schema as the Swift Benchmarks program; test
accuracies are added as "<name> acc".

Each framework may use both cores (torch.set_num_threads(2); OpenBLAS and XLA use every core
by default). JAX steps are compiled (one call per batch shape) before the clock starts; the
compile time is printed. The --compare mode runs NumPy under
`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` (see ../shared/PERFORMANCE.md); nothing else
changes the environment.

The interpreter needs torch and numpy (jax optional); a venv that works:
    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install torch numpy "jax[cpu]"
    PYTHON=/tmp/peers/bin/python scripts/compare_peers.sh
"""

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ALL_PARTS = ["gemm", "overhead", "load", "c1", "c2", "c3", "c4"]
ALL_FRAMEWORKS = ["torch", "numpy", "jax"]
PEER_PARTS = {  # the parts each peer has a version of
    "torch": {"gemm", "overhead", "c1", "c2", "c3", "c4"},
    "numpy": {"gemm", "load", "c1", "c2", "c3", "c4"},
    "jax": {"gemm", "c1", "c2", "c3", "c4"},
}
MLP_WORKLOADS = {
    # part: (name as in ours, layer sizes, batch size, steps timed or None for the whole epoch)
    "c1": ("C1 784-200-200-10 b16", [784, 200, 200, 10], 16, None),
    "c2": ("C2 784-200-200-10 b1024", [784, 200, 200, 10], 1024, None),
    "c3": ("C3 784-3136-1568-10 b32", [784, 3136, 1568, 10], 32, 150),
}
GEMM_SHAPES = [  # (name as in ours, m, k, n)
    ("1024²", 1024, 1024, 1024),
    ("16×784·784×200", 16, 784, 200),
    ("1024×784·784×200", 1024, 784, 200),
    ("32×784·784×3136", 32, 784, 3136),
    ("32×3136·3136×1568", 32, 3136, 1568),
    ("1568×32·32×3136", 1568, 32, 3136),
]
LR_MLP = 0.1
LR_LOGREG = 0.5
L2 = 1e-3
LOGREG_ITERATIONS = 1000
SETUP_HINT = (
    "set up a venv with the peers:\n"
    "    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install torch numpy \"jax[cpu]\"\n"
    "then run with PYTHON=/tmp/peers/bin/python (or /tmp/peers/bin/python scripts/bench_peers.py)"
)


# ----------------------------------------------------------------------------------- data


def data_directory(option):
    """`<data>/mnist`, with <data> resolved as the Swift side does: --data,
    $SWIFT_AUTOGRAD_DATA, $XDG_CACHE_HOME/swift-autograd, ~/.cache/swift-autograd."""
    base = option or os.environ.get("SWIFT_AUTOGRAD_DATA")
    if not base:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        base = os.path.join(cache, "swift-autograd")
    return os.path.join(base, "mnist")


def idx_path(directory, stem, kind):
    """`train-images.idx3-ubyte` or `train-images-idx3-ubyte`, optionally gzipped."""
    for name in (f"{stem}.{kind}-ubyte", f"{stem}-{kind}-ubyte"):
        for suffix in ("", ".gz"):
            path = os.path.join(directory, name + suffix)
            if os.path.exists(path):
                return path
    sys.exit(f"bench_peers: no {stem}.{kind}-ubyte in {directory} (run scripts/fetch-data.sh)")


def read_idx(path):
    import numpy as np

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist(directory):
    """All 70,000 images as float32 (N, 784) / 255 and int64 labels."""
    import numpy as np

    out = {}
    for split, stem in (("train", "train"), ("test", "t10k")):
        images = read_idx(idx_path(directory, f"{stem}-images", "idx3"))
        labels = read_idx(idx_path(directory, f"{stem}-labels", "idx1"))
        out[split] = (
            images.reshape(len(images), -1).astype(np.float32) / np.float32(255),
            labels.astype(np.int64),
        )
    return out


def four_nine(x, y):
    import numpy as np

    keep = (y == 4) | (y == 9)
    return x[keep], (y[keep] == 9).astype(np.float32).reshape(-1, 1)


# -------------------------------------------------------------------------------- report


class Report:
    def __init__(self):
        self.figures = {}

    def record(self, name, value, unit):
        self.figures[name] = {"value": value, "unit": unit}

    @staticmethod
    def section(title):
        print(f"\n## {title}", flush=True)

    @staticmethod
    def row(*cells):
        print(f"{cells[0]:<34}" + "".join(f"{c:>14}" for c in cells[1:]), flush=True)


def median_time(fn, runs, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def steps_note(name, steps, batches):
    print(
        f"   {name}: {steps} of {batches} steps timed and extrapolated to the epoch; "
        f"accuracy after those {steps} steps",
        flush=True,
    )


# --------------------------------------------------------------------------------- torch


def run_torch(parts, runs, data, report):
    import torch
    import torch.nn as nn

    torch.set_num_threads(2)
    fw = "torch"
    Report.section(f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads)")
    Report.row("workload", "value", "unit", "test acc")

    if "gemm" in parts:
        for name, m, k, n in GEMM_SHAPES:
            gen = torch.Generator().manual_seed(1)
            a = torch.randn(m, k, generator=gen)
            b = torch.randn(k, n, generator=gen)
            flop = 2.0 * m * k * n
            repeats = max(1, int(4e9 / flop))

            def go():
                for _ in range(repeats):
                    torch.mm(a, b)

            t = median_time(go, max(runs, 3))
            g = flop * repeats / t / 1e9
            Report.row(f"gemm {name}", f"{g:.1f}", "GFLOP/s", "-")
            report.record(f"{fw} gemm {name}", g, "GFLOP/s")

    if "overhead" in parts:
        x = torch.tensor([1.5], requires_grad=True)
        c = torch.tensor([2.0])
        n = 50_000

        def forward():
            for _ in range(n):
                _ = x * c

        def backward():
            for _ in range(n):
                (x * c).backward()
                x.grad = None

        f = median_time(forward, runs) / n * 1e6
        fb = median_time(backward, runs) / n * 1e6
        Report.row("op forward", f"{f:.3f}", "µs", "-")
        Report.row("op forward+backward", f"{fb:.3f}", "µs", "-")
        report.record(f"{fw} op forward", f, "µs")
        report.record(f"{fw} op forward+backward", fb, "µs")

    if data is None:
        return
    X = torch.from_numpy(data["train"][0])
    Y = torch.from_numpy(data["train"][1])
    Xt = torch.from_numpy(data["test"][0])
    Yt = torch.from_numpy(data["test"][1])

    def mlp(sizes):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(nn.ReLU())
        return nn.Sequential(*layers)

    for part in ("c1", "c2", "c3"):
        if part not in parts:
            continue
        name, sizes, bs, steps = MLP_WORKLOADS[part]
        batches = (len(X) + bs - 1) // bs
        times, accs = [], []
        for run in range(runs):
            torch.manual_seed(run)
            model = mlp(sizes)
            optimizer = torch.optim.SGD(model.parameters(), lr=LR_MLP)
            criterion = nn.CrossEntropyLoss()
            t0 = time.perf_counter()
            perm = torch.randperm(len(X))
            for step, i in enumerate(range(0, len(X), bs)):
                if steps is not None and step == steps:
                    break
                idx = perm[i : i + bs]
                x, y = X[idx], Y[idx]
                loss = criterion(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            t = time.perf_counter() - t0
            times.append(t * batches / steps if steps else t)
            with torch.no_grad():
                accs.append((model(Xt).argmax(1) == Yt).float().mean().item())
        t, acc = statistics.median(times), statistics.median(accs)
        Report.row(name, f"{t:.3f}", "s/epoch", f"{acc:.4f}")
        report.record(f"{fw} {name}", t, "s/epoch")
        report.record(f"{fw} {name} acc", acc, "fraction")
        if steps:
            steps_note(name, steps, batches)

    if "c4" in parts:
        x49, y49 = four_nine(*data["train"])
        xt49, yt49 = four_nine(*data["test"])
        x49, y49 = torch.from_numpy(x49), torch.from_numpy(y49)
        times, accs = [], []
        for run in range(runs):
            torch.manual_seed(run)
            layer = nn.Linear(784, 1)
            optimizer = torch.optim.SGD(layer.parameters(), lr=LR_LOGREG)
            criterion = nn.BCELoss()
            t0 = time.perf_counter()
            for _ in range(LOGREG_ITERATIONS):
                loss = criterion(torch.sigmoid(layer(x49)), y49) + L2 * layer.weight.pow(2).sum()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            times.append(time.perf_counter() - t0)
            with torch.no_grad():
                pred = (layer(torch.from_numpy(xt49)) > 0).float().numpy()
            accs.append(float((pred == yt49).mean()))
        t, acc = statistics.median(times), statistics.median(accs)
        Report.row(f"C4 logreg 4v9 ×{LOGREG_ITERATIONS}", f"{t:.3f}", "s", f"{acc:.4f}")
        report.record(f"{fw} C4", t, "s")
        report.record(f"{fw} C4 acc", acc, "fraction")


# --------------------------------------------------------------------------------- numpy


def run_numpy(parts, runs, data, report, data_dir):
    import numpy as np

    fw = "numpy"
    blas = os.environ.get("OPENBLAS_CORETYPE", "auto")
    Report.section(f"NumPy {np.__version__} by hand (OPENBLAS_CORETYPE={blas})")
    Report.row("workload", "value", "unit", "test acc")

    if "gemm" in parts:
        for name, m, k, n in GEMM_SHAPES:
            rng = np.random.default_rng(1)
            a = rng.standard_normal((m, k), dtype=np.float32)
            b = rng.standard_normal((k, n), dtype=np.float32)
            flop = 2.0 * m * k * n
            repeats = max(1, int(4e9 / flop))

            def go():
                for _ in range(repeats):
                    a @ b

            t = median_time(go, max(runs, 3))
            g = flop * repeats / t / 1e9
            Report.row(f"gemm {name}", f"{g:.1f}", "GFLOP/s", "-")
            report.record(f"{fw} gemm {name}", g, "GFLOP/s")

    if "load" in parts:
        t = median_time(lambda: load_mnist(data_dir), runs)
        Report.row("load mnist", f"{t:.3f}", "s", "-")
        report.record(f"{fw} load mnist", t, "s")

    if data is None:
        return
    X, Y = data["train"]
    Xt, Yt = data["test"]

    def init(sizes, rng):
        params = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            bound = 1 / np.sqrt(fan_in)
            W = rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32)
            b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
            params.append([W, b])
        return params

    def forward(params, x):
        acts = [x]
        for W, b in params[:-1]:
            x = np.maximum(x @ W + b, 0)
            acts.append(x)
        W, b = params[-1]
        return x @ W + b, acts

    def step(params, x, y):
        logits, acts = forward(params, x)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        # loss = -log p[y] averaged; not needed for the update, computed as a student would
        _loss = -np.log(p[np.arange(len(y)), y] + 1e-12).mean()
        dz = p
        dz[np.arange(len(y)), y] -= 1
        dz /= len(y)
        for layer in range(len(params) - 1, -1, -1):
            W, b = params[layer]
            a = acts[layer]
            dW = a.T @ dz
            db = dz.sum(axis=0)
            if layer > 0:
                dz = (dz @ W.T) * (a > 0)
            W -= LR_MLP * dW
            b -= LR_MLP * db

    for part in ("c1", "c2", "c3"):
        if part not in parts:
            continue
        name, sizes, bs, steps = MLP_WORKLOADS[part]
        batches = (len(X) + bs - 1) // bs
        times, accs = [], []
        for run in range(runs):
            rng = np.random.default_rng(run)
            params = init(sizes, rng)
            t0 = time.perf_counter()
            perm = rng.permutation(len(X))
            for s, i in enumerate(range(0, len(X), bs)):
                if steps is not None and s == steps:
                    break
                idx = perm[i : i + bs]
                step(params, X[idx], Y[idx])
            t = time.perf_counter() - t0
            times.append(t * batches / steps if steps else t)
            accs.append(float((forward(params, Xt)[0].argmax(1) == Yt).mean()))
        t, acc = statistics.median(times), statistics.median(accs)
        Report.row(name, f"{t:.3f}", "s/epoch", f"{acc:.4f}")
        report.record(f"{fw} {name}", t, "s/epoch")
        report.record(f"{fw} {name} acc", acc, "fraction")
        if steps:
            steps_note(name, steps, batches)

    if "c4" in parts:
        x49, y49 = four_nine(X, Y)
        xt49, yt49 = four_nine(Xt, Yt)
        n = len(x49)
        times, accs = [], []
        for run in range(runs):
            rng = np.random.default_rng(run)
            bound = 1 / np.sqrt(784)
            w = rng.uniform(-bound, bound, (784, 1)).astype(np.float32)
            b = rng.uniform(-bound, bound, 1).astype(np.float32)
            t0 = time.perf_counter()
            for _ in range(LOGREG_ITERATIONS):
                z = x49 @ w + b
                p = 1 / (1 + np.exp(-z))
                eps = 1e-7
                _loss = -np.mean(y49 * np.log(p + eps) + (1 - y49) * np.log(1 - p + eps)) + L2 * np.sum(
                    w * w
                )
                dz = (p - y49) / n
                dw = x49.T @ dz + 2 * L2 * w
                db = dz.sum(axis=0)
                w -= LR_LOGREG * dw
                b -= LR_LOGREG * db
            times.append(time.perf_counter() - t0)
            accs.append(float(((xt49 @ w + b > 0) == yt49).mean()))
        t, acc = statistics.median(times), statistics.median(accs)
        Report.row(f"C4 logreg 4v9 ×{LOGREG_ITERATIONS}", f"{t:.3f}", "s", f"{acc:.4f}")
        report.record(f"{fw} C4", t, "s")
        report.record(f"{fw} C4 acc", acc, "fraction")


# ----------------------------------------------------------------------------------- jax


def run_jax(parts, runs, data, report):
    import jax
    import jax.numpy as jnp
    import numpy as np

    fw = "jax"
    Report.section(f"JAX {jax.__version__} (jitted step, {jax.devices()[0].platform})")
    Report.row("workload", "value", "unit", "test acc")

    if "gemm" in parts:
        mm = jax.jit(lambda a, b: a @ b)
        for name, m, k, n in GEMM_SHAPES:
            key_a, key_b = jax.random.split(jax.random.PRNGKey(1))
            a = jax.random.normal(key_a, (m, k), jnp.float32)
            b = jax.random.normal(key_b, (k, n), jnp.float32)
            flop = 2.0 * m * k * n
            repeats = max(1, int(4e9 / flop))

            def go():
                for _ in range(repeats):
                    c = mm(a, b)
                c.block_until_ready()

            t = median_time(go, max(runs, 3))
            g = flop * repeats / t / 1e9
            Report.row(f"gemm {name}", f"{g:.1f}", "GFLOP/s", "-")
            report.record(f"{fw} gemm {name}", g, "GFLOP/s")

    if data is None:
        return
    X, Y = data["train"]
    Xt, Yt = data["test"]

    def init(sizes, key):
        params = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            key, kw, kb = jax.random.split(key, 3)
            bound = 1 / np.sqrt(fan_in)
            params.append(
                (
                    jax.random.uniform(kw, (fan_in, fan_out), jnp.float32, -bound, bound),
                    jax.random.uniform(kb, (fan_out,), jnp.float32, -bound, bound),
                )
            )
        return params

    def predict(params, x):
        for W, b in params[:-1]:
            x = jax.nn.relu(x @ W + b)
        W, b = params[-1]
        return x @ W + b

    def loss_fn(params, x, y):
        logp = jax.nn.log_softmax(predict(params, x))
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    @jax.jit
    def train_step(params, x, y):
        grads = jax.grad(loss_fn)(params, x, y)
        return jax.tree_util.tree_map(lambda p, g: p - LR_MLP * g, params, grads)

    accuracy = jax.jit(lambda params, x, y: jnp.mean(jnp.argmax(predict(params, x), 1) == y))

    for part in ("c1", "c2", "c3"):
        if part not in parts:
            continue
        name, sizes, bs, steps = MLP_WORKLOADS[part]
        batches = (len(X) + bs - 1) // bs
        # compile for every batch shape the epoch uses, before the clock starts
        t0 = time.perf_counter()
        warm = init(sizes, jax.random.PRNGKey(0))
        for shape in sorted({bs, len(X) - (batches - 1) * bs}):
            jax.block_until_ready(train_step(warm, X[:shape], Y[:shape]))
        compile_time = time.perf_counter() - t0
        times, accs = [], []
        for run in range(runs):
            params = init(sizes, jax.random.PRNGKey(run))
            rng = np.random.default_rng(run)
            t0 = time.perf_counter()
            perm = rng.permutation(len(X))
            for s, i in enumerate(range(0, len(X), bs)):
                if steps is not None and s == steps:
                    break
                idx = perm[i : i + bs]
                params = train_step(params, X[idx], Y[idx])
            jax.block_until_ready(params)
            t = time.perf_counter() - t0
            times.append(t * batches / steps if steps else t)
            accs.append(float(accuracy(params, Xt, Yt)))
        t, acc = statistics.median(times), statistics.median(accs)
        Report.row(name, f"{t:.3f}", "s/epoch", f"{acc:.4f}")
        report.record(f"{fw} {name}", t, "s/epoch")
        report.record(f"{fw} {name} acc", acc, "fraction")
        print(f"   {name}: jit compile {compile_time:.2f} s before timing, not counted", flush=True)
        if steps:
            steps_note(name, steps, batches)

    if "c4" in parts:
        x49, y49 = four_nine(X, Y)
        xt49, yt49 = four_nine(Xt, Yt)
        x49, y49 = jnp.asarray(x49), jnp.asarray(y49)

        def logreg_loss(wb, x, y):
            w, b = wb
            z = x @ w + b
            # sigmoid + BCE from the probabilities, as a student writes it
            p = jax.nn.sigmoid(z)
            eps = 1e-7
            bce = -jnp.mean(y * jnp.log(p + eps) + (1 - y) * jnp.log(1 - p + eps))
            return bce + L2 * jnp.sum(w * w)

        @jax.jit
        def gd_step(wb, x, y):
            g = jax.grad(logreg_loss)(wb, x, y)
            return jax.tree_util.tree_map(lambda p, g: p - LR_LOGREG * g, wb, g)

        def init_wb(run):
            kw, kb = jax.random.split(jax.random.PRNGKey(run))
            bound = 1 / np.sqrt(784)
            return (
                jax.random.uniform(kw, (784, 1), jnp.float32, -bound, bound),
                jax.random.uniform(kb, (1,), jnp.float32, -bound, bound),
            )

        jax.block_until_ready(gd_step(init_wb(0), x49, y49))
        times, accs = [], []
        for run in range(runs):
            wb = init_wb(run)
            t0 = time.perf_counter()
            for _ in range(LOGREG_ITERATIONS):
                wb = gd_step(wb, x49, y49)
            jax.block_until_ready(wb)
            times.append(time.perf_counter() - t0)
            w, b = (np.asarray(v) for v in wb)
            accs.append(float(((xt49 @ w + b > 0) == yt49).mean()))
        t, acc = statistics.median(times), statistics.median(accs)
        Report.row(f"C4 logreg 4v9 ×{LOGREG_ITERATIONS}", f"{t:.3f}", "s", f"{acc:.4f}")
        report.record(f"{fw} C4", t, "s")
        report.record(f"{fw} C4 acc", acc, "fraction")


# ------------------------------------------------------------------------------- compare


def importable(python, module):
    result = subprocess.run(
        [python, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    return result.returncode == 0


def our_accuracies(stdout):
    """Test accuracies from the Swift table (its --json holds only the times)."""
    acc = {}
    for line in stdout.splitlines():
        m = re.match(r"^(C\d [\d-]+ b\d+)\s+([\d.]+)\s+([\d.]+)\s*$", line)
        if m:
            acc[m.group(1) + " acc"] = float(m.group(3))
    return acc


def compare(args):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    python = os.environ.get("PYTHON", sys.executable)
    frameworks = [f for f in args.frameworks.split(",") if f]
    available = []
    for fw in frameworks:
        if importable(python, fw):
            available.append(fw)
        else:
            print(f"compare: {fw} is not importable by {python}; skipping it", flush=True)
    if not {"torch", "numpy"} <= set(available):
        print("compare: torch and numpy are needed for the comparison; " + SETUP_HINT)
        if not available:
            sys.exit(1)

    print("compare: building Benchmarks (swift build -c release --product Benchmarks)", flush=True)
    subprocess.run(
        ["swift", "build", "-c", "release", "--product", "Benchmarks"], cwd=root, check=True
    )
    bin_dir = subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout.strip()
    script = os.path.abspath(__file__)

    def command(column, part, json_path):
        if column == "ours":
            cmd = [os.path.join(bin_dir, "Benchmarks"), "--only", part, "--runs", "1"]
        else:
            cmd = [python, script, "--frameworks", column, "--only", part, "--runs", "1"]
        cmd += ["--json", json_path] + (["--data", args.data] if args.data else [])
        if column == "numpy":  # OpenBLAS's own AVX-512 kernel, in this command only
            cmd = ["env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE"] + cmd
        return cmd

    # One workload at a time, ours and each peer in turn, so that the figures of one workload
    # are taken seconds apart, not minutes: the shared machine's speed drifts. The order of
    # the frameworks rotates from round to round, so none is always the first to run.
    parts = [p for p in ALL_PARTS if p in args.only.split(",")]
    samples = {}  # (column, workload) -> {round: value}
    units = {}
    logdir = tempfile.mkdtemp(prefix="compare_peers.")
    print(f"compare: logs and JSON in {logdir}", flush=True)
    for r in range(args.rounds):
        turn = ["ours"] + available
        turn = turn[r % len(turn):] + turn[:r % len(turn)]
        for part, column in [(p, c) for p in parts for c in turn]:
            if column != "ours" and part not in PEER_PARTS[column]:
                continue
            json_path = os.path.join(logdir, f"{column}.{part}.{r}.json")
            cmd = command(column, part, json_path)
            print(f"[round {r + 1}/{args.rounds}] {part} {column}: {' '.join(cmd)}", flush=True)
            t0 = time.perf_counter()
            result = subprocess.run(cmd, capture_output=True, text=True, cwd=root, check=False)
            with open(os.path.join(logdir, f"{column}.{part}.{r}.log"), "w") as log:
                log.write(result.stdout + result.stderr)
            if result.returncode != 0:
                print(f"   failed ({result.returncode}):\n{result.stderr[-2000:]}", flush=True)
                continue
            print(f"   {time.perf_counter() - t0:.1f} s", flush=True)
            with open(json_path) as f:
                figures = json.load(f)
            if column == "ours":
                for name, acc in our_accuracies(result.stdout).items():
                    figures[name] = {"value": acc, "unit": "fraction"}
            prefix = "" if column == "ours" else column + " "
            for name, fig in figures.items():
                if not name.startswith(prefix) or fig["value"] is None:
                    continue
                workload = name[len(prefix):]
                if workload == "load mnist" and part != "load":
                    continue  # ours loads MNIST before every training part; count `load` only
                samples.setdefault((column, workload), {})[r] = fig["value"]
                units[workload] = fig["unit"]

    columns = ["ours"] + available
    peer_workloads = {w for (c, w) in samples if c != "ours"}
    order = [w for w in units if w in peer_workloads]
    order.sort(key=lambda w: (w.endswith(" acc"), w.startswith("gemm"), w))
    print(f"\nMedians of {args.rounds} rounds (each workload: ours and each peer in turn)")
    header = f"{'workload':<30}{'unit':>9}" + "".join(f"{c:>10}" for c in columns)
    header += f"{'best peer':>11}{'ours/best':>11}{'per round':>11}"
    print(header)
    print("-" * len(header))
    summary = {}
    noisy = []
    for w in order:
        unit = units[w]
        rounds = {c: samples[(c, w)] for c in columns if (c, w) in samples}
        med = {c: statistics.median(v.values()) for c, v in rounds.items()}
        peers = {c: v for c, v in med.items() if c != "ours"}
        better = max if unit in ("GFLOP/s", "fraction") else min
        best = better(peers, key=peers.get) if peers else None
        fmt = {"fraction": "{:.4f}", "GFLOP/s": "{:.1f}"}.get(unit, "{:.3f}")
        cells = ["-" if med.get(c) is None else fmt.format(med[c]) for c in columns]
        for c in columns:  # a round far off the others: the shared machine was busy
            values = list(rounds.get(c, {}).values())
            if unit != "fraction" and len(values) > 1 and max(values) > 1.5 * min(values):
                noisy.append(f"{w} [{c}]: " + ", ".join(fmt.format(v) for v in values))
        ratio = med["ours"] / peers[best] if best and "ours" in med and peers[best] else None
        line = f"{w:<30}{unit:>9}" + "".join(f"{c:>10}" for c in cells)
        # Ours against the best peer of the same round (seconds apart), then the median over
        # rounds: a round in which the whole machine was slow moves both sides of its ratio.
        per_round = []
        for r, ours in rounds.get("ours", {}).items():
            same = [v[r] for c, v in rounds.items() if c != "ours" and r in v and v[r]]
            if same:
                per_round.append(ours / better(same))
        round_ratio = statistics.median(per_round) if per_round else None
        line += f"{best or '-':>11}" + (f"{ratio:>10.2f}×" if ratio is not None else f"{'-':>11}")
        line += f"{round_ratio:>10.2f}×" if round_ratio is not None else f"{'-':>11}"
        print(line)
        summary[w] = {"unit": unit, "medians": med, "best_peer": best, "ours_over_best": ratio,
                      "ours_over_best_per_round": per_round,
                      "median_per_round": round_ratio,
                      "rounds": {c: [v[r] for r in sorted(v)] for c, v in rounds.items()}}
    print("\nratio < 1 is better for times (s, s/epoch, µs); ≥ 1 is better for GFLOP/s and acc")
    print("ours/best: ratio of the medians; per round: median over rounds of ours against the")
    print("best peer of the same round (their figures seconds apart)")
    print("C3 is 150 of 1875 steps timed and extrapolated (accuracy after those 150 steps);")
    print("JAX steps are compiled before the clock starts; per-op overhead is torch only.")
    if noisy:
        print("\nspread above 1.5× between rounds (values per round; the median absorbs one):")
        for line in noisy:
            print("   " + line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(
        description="PyTorch / NumPy / JAX versions of the Benchmarks workloads")
    parser.add_argument("--only", default=",".join(ALL_PARTS))
    parser.add_argument("--runs", type=int, default=3, help="median of N runs (default 3)")
    parser.add_argument("--frameworks", default=",".join(ALL_FRAMEWORKS))
    parser.add_argument("--data", help="the data directory (IDX files in its mnist/), as ours")
    parser.add_argument("--json", help="write {name: {value, unit}} here")
    parser.add_argument("--compare", action="store_true",
                        help="build ours (release) and run it and each peer in turn, "
                        "one workload at a time")
    parser.add_argument("--rounds", type=int, default=3, help="--compare: rounds (default 3)")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if bad := parts - set(ALL_PARTS):
        parser.error(f"unknown part(s) {','.join(sorted(bad))}; parts: {','.join(ALL_PARTS)}")
    if args.runs < 1 or args.rounds < 1:
        parser.error("--runs and --rounds take a positive integer")
    if args.compare:
        if args.rounds < 3:
            print("compare: fewer than 3 rounds; medians of so few mean little", flush=True)
        compare(args)
        return

    frameworks = [f for f in args.frameworks.split(",") if f]
    if bad := set(frameworks) - set(ALL_FRAMEWORKS):
        parser.error(f"unknown framework(s) {','.join(sorted(bad))}")
    try:
        import numpy  # noqa: F401  (data loading needs it)
    except ImportError:
        sys.exit("bench_peers: numpy is not installed for " + sys.executable + "; " + SETUP_HINT)

    data_dir = data_directory(args.data)
    data = None
    if parts & {"c1", "c2", "c3", "c4"}:
        data = load_mnist(data_dir)
        n49 = int(sum(((data["train"][1] == 4) | (data["train"][1] == 9))))
        print(f"MNIST from {data_dir}: {len(data['train'][0])} train, "
              f"{len(data['test'][0])} test, {n49} training 4s and 9s", flush=True)

    report = Report()
    runners = {
        "torch": lambda: run_torch(parts, args.runs, data, report),
        "numpy": lambda: run_numpy(parts, args.runs, data, report, data_dir),
        "jax": lambda: run_jax(parts, args.runs, data, report),
    }
    for fw in frameworks:
        try:
            __import__(fw)
        except ImportError:
            print(f"\n## {fw}: not installed for {sys.executable}; skipped. {SETUP_HINT}",
                  flush=True)
            continue
        runners[fw]()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report.figures, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
