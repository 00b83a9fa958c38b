// Weight files in the safetensors layout — ojo's torch.save / torch.load for state_dicts, without
// pickle, readable by other tools (https://github.com/huggingface/safetensors, and
// scripts/safetensors_torch.py for PyTorch 1.13 without extra packages).
//
//   StateDict sd = opt.state_dict();                              // or a model's
//   safetensors::save(sd, "opt.safetensors", {{"epoch", "3"}});   // atomic: temp file + rename
//   std::map<std::string, std::string> meta;
//   StateDict back = safetensors::load("opt.safetensors", &meta); // meta["epoch"] == "3"
//
// Layout (the safetensors spec): 8-byte little-endian header length N, N bytes of UTF-8 JSON
//   {"__metadata__": {"epoch": "3"}, "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}
// padded with spaces so the data starts 8-byte aligned, then every tensor's raw little-endian
// bytes, packed in the StateDict's order (offsets count from the start of the data).
// dtypes: BOOL U8 I8 U16 I16 I32 I64 F32 F64 (ojo's); files with others (F16, BF16, …) are refused
// with an error naming the dtype. Non-contiguous tensors are written contiguous; autograd state
// (requires_grad, grad) is not saved. load() returns the tensors in the header's order, each a
// fresh contiguous tensor.
//
// load() validates the whole header before allocating any tensor: a file shorter than 8 bytes, a
// header length beyond the file or above 100 MB, malformed JSON, duplicate names, missing or
// ill-typed fields, an unknown dtype, data_offsets that do not match dtype × shape, offsets out of
// range, overlapping tensors, holes or trailing bytes (the spec requires the data to be covered
// exactly), BOOL bytes other than 0/1 — each throws ojo::Error "load_safetensors: <file>: <problem>".
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "ojo/core/state_dict.hpp"

namespace ojo {

// The bytes of a safetensors file. Throws on undefined tensors or the reserved name "__metadata__".
std::vector<uint8_t> encode_safetensors(const StateDict& sd, const std::map<std::string, std::string>& metadata = {});
// Parses the bytes of a safetensors file; `what` names the source in errors. If `metadata` is not
// null it receives the "__metadata__" entries (cleared first).
StateDict decode_safetensors(std::span<const uint8_t> bytes, std::map<std::string, std::string>* metadata = nullptr,
                             const std::string& what = "<memory>");

namespace safetensors {
// Writes `sd` (and `metadata`) to `path` through a temporary file and a rename.
void save(const StateDict& sd, const std::string& path, const std::map<std::string, std::string>& metadata = {});
// Reads a file written by save() or any safetensors writer (with the dtypes above).
StateDict load(const std::string& path, std::map<std::string, std::string>* metadata = nullptr);
}  // namespace safetensors

}  // namespace ojo
