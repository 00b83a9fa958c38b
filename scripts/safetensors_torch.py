#!/usr/bin/python3
"""safetensors files for PyTorch 1.13 without extra packages (only torch, json and struct).

The files ojo writes (ojo::safetensors::save) and reads, in the safetensors layout: 8-byte
little-endian header length N, N bytes of JSON {"name": {"dtype", "shape", "data_offsets"}, ...,
"__metadata__": {str: str}} padded with spaces to 8-byte alignment, then the raw little-endian data.

As a module:
    from safetensors_torch import save_file, load_file
    save_file(model.state_dict(), "model.safetensors", metadata={"epoch": "3"})
    state_dict = load_file("model.safetensors")
From the shell (run with /usr/bin/python3, Debian's PyTorch 1.13):
    scripts/safetensors_torch.py to-safetensors IN.pt OUT.safetensors   # torch.save'd state_dict -> safetensors
    scripts/safetensors_torch.py to-torch IN.safetensors OUT.pt         # safetensors -> torch.save'd state_dict
    scripts/safetensors_torch.py to-npy IN.safetensors DIR              # each tensor as DIR/<name>.npy
    scripts/safetensors_torch.py show IN.safetensors                    # names, dtypes, shapes, metadata
"""
import argparse
import json
import os
import struct
import sys

import torch

MAX_HEADER = 100_000_000
DTYPES = {
    "BOOL": torch.bool, "U8": torch.uint8, "I8": torch.int8, "I16": torch.int16, "I32": torch.int32,
    "I64": torch.int64, "F16": torch.float16, "BF16": torch.bfloat16, "F32": torch.float32, "F64": torch.float64,
}
NAMES = {v: k for k, v in DTYPES.items()}


def _bytes_of(t):
    t = t.detach().cpu().contiguous()
    if t.numel() == 0:
        return b""
    return t.reshape(-1).view(torch.uint8).numpy().tobytes()


def save_bytes(state_dict, metadata=None):
    """The bytes of a safetensors file holding `state_dict` (name -> tensor), in its order."""
    if sys.byteorder != "little":
        raise RuntimeError("safetensors_torch assumes a little-endian machine")
    header, chunks, offset = {}, [], 0
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("metadata must map str to str")
        header["__metadata__"] = dict(metadata)
    for name, t in state_dict.items():
        if name == "__metadata__":
            raise ValueError('a tensor cannot be named "__metadata__"')
        if not torch.is_tensor(t):
            raise ValueError(f"{name!r} is a {type(t).__name__}, not a tensor")
        if t.dtype not in NAMES:
            raise ValueError(f"{name!r}: dtype {t.dtype} has no safetensors name")
        data = _bytes_of(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save_file(state_dict, path, metadata=None):
    """Writes `state_dict` to `path` (through a temporary file and a rename)."""
    data = save_bytes(state_dict, metadata)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_bytes(data, what="<bytes>"):
    """(state_dict, metadata) from the bytes of a safetensors file; ValueError on malformed input."""
    def bad(problem):
        raise ValueError(f"{what}: {problem}")

    if len(data) < 8:
        bad(f"file is {len(data)} bytes, shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER or n > len(data) - 8:
        bad(f"header length {n} is invalid for a file of {len(data)} bytes")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        bad(f"malformed JSON header: {e}")
    if not isinstance(header, dict):
        bad("the JSON header is not an object")
    metadata = header.pop("__metadata__", None) or {}
    body = memoryview(data)[8 + n:]
    spans, state_dict = [], {}
    for name, info in header.items():
        try:
            dtype = DTYPES[info["dtype"]]
            shape = [int(d) for d in info["shape"]]
            begin, end = (int(x) for x in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            bad(f"tensor {name!r}: bad entry {info!r}")
        numel = 1
        for d in shape:
            numel *= d
        size = numel * torch.tensor([], dtype=dtype).element_size()
        if not 0 <= begin <= end <= len(body) or end - begin != size or min(shape, default=0) < 0:
            bad(f"tensor {name!r}: data_offsets {[begin, end]} do not fit dtype {info['dtype']} shape {shape}")
        spans.append((begin, end))
        if size == 0:
            state_dict[name] = torch.empty(shape, dtype=dtype)
        else:
            raw = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.uint8)
            state_dict[name] = raw.view(dtype).reshape(shape)
    covered = 0
    for begin, end in sorted(spans):
        if begin != covered:
            bad(f"data bytes {min(begin, covered)}-{max(begin, covered)} overlap or are not covered")
        covered = end
    if covered != len(body):
        bad(f"data bytes {covered}-{len(body)} are not covered by any tensor")
    return state_dict, metadata


def load_file(path):
    """The state_dict stored in `path` (name -> tensor, in the header's order)."""
    with open(path, "rb") as f:
        return load_bytes(f.read(), path)[0]


def load_metadata(path):
    with open(path, "rb") as f:
        return load_bytes(f.read(), path)[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("to-safetensors", help="torch.save'd state_dict (.pt) -> .safetensors")
    p.add_argument("input"), p.add_argument("output")
    p = sub.add_parser("to-torch", help=".safetensors -> torch.save'd state_dict (.pt)")
    p.add_argument("input"), p.add_argument("output")
    p = sub.add_parser("to-npy", help="each tensor of a .safetensors file as DIR/<name>.npy")
    p.add_argument("input"), p.add_argument("output_dir")
    p = sub.add_parser("show", help="list the tensors and metadata of a .safetensors file")
    p.add_argument("input")
    args = parser.parse_args(argv)

    if args.command == "to-safetensors":
        sd = torch.load(args.input, map_location="cpu", weights_only=True)
        if not isinstance(sd, dict):
            parser.error(f"{args.input} holds a {type(sd).__name__}, expected a state_dict")
        save_file(sd, args.output)
    elif args.command == "to-torch":
        torch.save(load_file(args.input), args.output)
    elif args.command == "to-npy":
        os.makedirs(args.output_dir, exist_ok=True)
        import numpy as np
        for name, t in load_file(args.input).items():
            np.save(os.path.join(args.output_dir, name + ".npy"), t.numpy())
    else:
        with open(args.input, "rb") as f:
            sd, metadata = load_bytes(f.read(), args.input)
        for name, t in sd.items():
            print(f"{name}\t{NAMES[t.dtype]}\t{list(t.shape)}")
        for k, v in metadata.items():
            print(f"__metadata__.{k}\t{v}")


if __name__ == "__main__":
    main()
