"""The trained bench's PyTorch peer: times Lighthouse's own model on the inputs Vireo prepared.

Builds the network with Lighthouse's builder from the checkpoint's opt, loads its weights, and times the official
forward pass (batch 1, eval, no_grad) on src_vid [L, 514] and on every window in windows_vid [W, 75, 514]. Prints one
JSON object: timings, the BLAS library torch loaded, peak RSS, and the outputs of the first src_vid pass.
"""
import argparse
import ctypes
import importlib
import json
import os
import resource
import statistics
import sys
import time


def loaded_blas():
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if os.path.basename(line.split()[-1]).startswith(("libblas", "libopenblas"))})
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            return f"{lib.openblas_get_config().decode()} ({os.path.realpath(path)}), BLAS threads: {lib.openblas_get_num_threads()}"
        except (OSError, AttributeError):
            continue
    return "reference BLAS, single-threaded (" + ", ".join(os.path.realpath(p) for p in paths) + ")"


def median_ms(run, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--torch-threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--long-runs", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, args.lighthouse)
    import numpy as np
    import torch

    torch.set_num_threads(args.torch_threads)
    checkpoint = torch.load(args.checkpoint, map_location="cpu")
    opt = checkpoint["opt"]
    opt.device = "cpu"
    model, _ = importlib.import_module(f"lighthouse.common.{opt.model_name}").build_model(opt)
    model.load_state_dict(checkpoint["model"])
    model.eval()

    inputs = np.load(args.inputs)
    text = torch.from_numpy(inputs["src_txt"]).unsqueeze(0)
    windows = [torch.from_numpy(w).unsqueeze(0) for w in inputs["windows_vid"]]
    video = torch.from_numpy(inputs["src_vid"]).unsqueeze(0)

    def forward(vid):
        batch = dict(src_txt=text, src_txt_mask=torch.ones(text.shape[:2]), src_vid=vid, src_vid_mask=torch.ones(vid.shape[:2]))
        if opt.model_name == "cg_detr":
            batch.update(vid=None, qid=None)
        return model(**batch)

    with torch.no_grad():
        outputs = forward(video)
        for _ in range(args.warmup):
            forward(video)
        forward_ms = median_ms(lambda: forward(video), args.runs)
        long_ms = median_ms(lambda: [forward(w) for w in windows], args.long_runs) if args.long_runs > 0 else None

    print(json.dumps({
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "blas": loaded_blas(),
        "forward_ms": forward_ms,
        "long_ms": long_ms,
        "windows": len(windows),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "logits": outputs["pred_logits"].flatten().tolist(),
        "spans": outputs["pred_spans"].flatten().tolist(),
        "saliency": outputs["saliency_scores"].flatten().tolist(),
    }))


if __name__ == "__main__":
    main()
