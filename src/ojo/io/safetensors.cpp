// safetensors reading and writing (see include/ojo/io/safetensors.hpp and
// https://github.com/huggingface/safetensors#format).
#include "ojo/io/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "ojo/io/file.hpp"

namespace ojo {
namespace {

static_assert(std::endian::native == std::endian::little, "ojo's safetensors code assumes a little-endian host");

using json = nlohmann::ordered_json;

constexpr uint64_t kMaxHeader = 100'000'000;  // as the reference implementation
constexpr const char* kMetadata = "__metadata__";

struct DTypeName {
  DType dtype;
  const char* name;
};
constexpr DTypeName kDTypes[] = {{DType::boolean, "BOOL"}, {DType::u8, "U8"},   {DType::i8, "I8"},
                                 {DType::u16, "U16"},      {DType::i16, "I16"}, {DType::i32, "I32"},
                                 {DType::i64, "I64"},      {DType::f32, "F32"}, {DType::f64, "F64"}};
// In the spec, but without an ojo dtype.
constexpr const char* kUnsupported[] = {"F16", "BF16", "U32", "U64", "F8_E4M3", "F8_E5M2", "C64", "F64_C"};

const char* safetensors_name(DType t) {
  for (const auto& d : kDTypes)
    if (d.dtype == t) return d.name;
  fail("save_safetensors", "dtype ", dtype_name(t), " has no safetensors name");
}

std::string supported_list() {
  std::string s;
  for (const auto& d : kDTypes) s += std::string(s.empty() ? "" : ", ") + d.name;
  return s;
}

std::string encode(const StateDict& sd, const std::map<std::string, std::string>& metadata) {
  const std::string op = "save_safetensors";
  json header = json::object();
  if (!metadata.empty()) {
    json m = json::object();
    for (const auto& [k, v] : metadata) m[k] = v;
    header[kMetadata] = std::move(m);
  }
  std::vector<Tensor> data;
  uint64_t offset = 0;
  for (const auto& [name, t] : sd) {
    if (name == kMetadata) fail(op, "a tensor cannot be named \"", kMetadata, "\" (reserved for metadata)");
    if (!t.defined()) fail(op, "tensor '", name, "' is undefined");
    const Tensor c = t.detach().contiguous();
    const uint64_t nbytes = static_cast<uint64_t>(c.numel()) * c.element_size();
    header[name] = {{"dtype", safetensors_name(c.dtype())}, {"shape", c.shape()}, {"data_offsets", {offset, offset + nbytes}}};
    offset += nbytes;
    data.push_back(c);
  }
  std::string text;
  try {
    text = header.dump(-1, ' ', false, json::error_handler_t::strict);
  } catch (const json::exception&) {
    fail(op, "a tensor name or metadata string is not valid UTF-8");
  }
  text.append((8 - (8 + text.size()) % 8) % 8, ' ');  // data starts 8-byte aligned
  std::string out(8, '\0');
  const uint64_t n = text.size();
  std::memcpy(out.data(), &n, 8);
  out.reserve(8 + n + offset);
  out += text;
  for (const Tensor& c : data) out.append(static_cast<const char*>(c.raw_data()), c.numel() * c.element_size());
  return out;
}

struct Entry {
  std::string name;
  DType dtype;
  Shape shape;
  uint64_t begin, end;
};

}  // namespace

std::vector<uint8_t> encode_safetensors(const StateDict& sd, const std::map<std::string, std::string>& metadata) {
  const std::string s = encode(sd, metadata);
  return std::vector<uint8_t>(s.begin(), s.end());
}

StateDict decode_safetensors(std::span<const uint8_t> bytes, std::map<std::string, std::string>* metadata,
                             const std::string& what) {
  auto bad = [&](auto&&... parts) { fail("load_safetensors", what, ": ", parts...); };
  const uint64_t size = bytes.size();
  if (size < 8) bad("file is ", size, " bytes, shorter than the 8-byte header length");
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  if (n > kMaxHeader) bad("header length ", n, " is above the limit of ", kMaxHeader, " bytes");
  if (n > size - 8) bad("header length ", n, " runs past the end of the file (", size, " bytes)");
  const char* text = reinterpret_cast<const char*>(bytes.data() + 8);

  // Parse, noting duplicate top-level names (JSON allows them, the spec does not).
  std::set<std::string> seen;
  std::string duplicate;
  const json::parser_callback_t note = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth == 1 && event == json::parse_event_t::key && !seen.insert(parsed.get<std::string>()).second &&
        duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  const json header = json::parse(text, text + n, note, /*allow_exceptions=*/false);
  if (header.is_discarded()) bad("malformed JSON header (", n, " bytes)");
  if (!header.is_object()) bad("the JSON header is not an object");
  if (!duplicate.empty()) bad("tensor '", duplicate, "' appears twice in the header");

  const uint64_t data_size = size - 8 - n;
  std::map<std::string, std::string> meta;
  std::vector<Entry> entries;
  for (const auto& [name, v] : header.items()) {
    if (name == kMetadata) {
      if (!v.is_object()) bad("\"__metadata__\" is not an object of strings");
      for (const auto& [k, s] : v.items()) {
        if (!s.is_string()) bad("metadata '", k, "' is not a string");
        meta[k] = s.get<std::string>();
      }
      continue;
    }
    if (!v.is_object()) bad("tensor '", name, "': entry is not an object");
    for (const char* field : {"dtype", "shape", "data_offsets"})
      if (!v.contains(field)) bad("tensor '", name, "': missing field \"", field, "\"");
    if (!v["dtype"].is_string()) bad("tensor '", name, "': \"dtype\" is not a string");
    const std::string dt = v["dtype"].get<std::string>();
    const auto known = std::find_if(std::begin(kDTypes), std::end(kDTypes), [&](const auto& d) { return dt == d.name; });
    if (known == std::end(kDTypes)) {
      if (std::find(std::begin(kUnsupported), std::end(kUnsupported), dt) != std::end(kUnsupported))
        bad("tensor '", name, "': dtype ", dt, " is not supported by ojo (supported: ", supported_list(), ")");
      bad("tensor '", name, "': unknown dtype '", dt, "'");
    }
    Entry e{name, known->dtype, {}, 0, 0};
    const json& shape = v["shape"];
    if (!shape.is_array()) bad("tensor '", name, "': \"shape\" is not an array");
    for (const json& d : shape) {
      if (!d.is_number_unsigned() || d.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        bad("tensor '", name, "': shape ", shape.dump(), " has an entry that is not a non-negative 64-bit integer");
      e.shape.push_back(d.get<int64_t>());
    }
    // Bytes needed, with overflow detection (an empty tensor needs 0 whatever its other sizes).
    uint64_t want = dtype_size(e.dtype);
    const bool empty = std::find(e.shape.begin(), e.shape.end(), 0) != e.shape.end();
    for (const int64_t dim : e.shape)
      if (!empty && __builtin_mul_overflow(want, static_cast<uint64_t>(dim), &want))
        bad("tensor '", name, "': shape ", shape.dump(), " has more elements than fit in 64 bits");
    if (empty) want = 0;
    const json& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
      bad("tensor '", name, "': \"data_offsets\" is not a pair of non-negative integers: ", off.dump());
    e.begin = off[0].get<uint64_t>();
    e.end = off[1].get<uint64_t>();
    if (e.begin > e.end) bad("tensor '", name, "': data_offsets [", e.begin, ", ", e.end, "] end before they begin");
    if (e.end > data_size)
      bad("tensor '", name, "': data_offsets [", e.begin, ", ", e.end, "] are out of range (the data section has ",
          data_size, " bytes)");
    if (e.end - e.begin != want)
      bad("tensor '", name, "': data_offsets [", e.begin, ", ", e.end, "] hold ", e.end - e.begin, " bytes, but ", dt,
          " shape ", shape_str(e.shape), " needs ", want);
    entries.push_back(std::move(e));
  }

  // The tensors must tile the data section exactly: no overlap, no hole, nothing after the last.
  std::vector<const Entry*> by_offset;
  for (const Entry& e : entries) by_offset.push_back(&e);
  std::stable_sort(by_offset.begin(), by_offset.end(),
                   [](const Entry* a, const Entry* b) { return a->begin != b->begin ? a->begin < b->begin : a->end < b->end; });
  uint64_t covered = 0;
  const Entry* previous = nullptr;
  for (const Entry* e : by_offset) {
    if (e->begin < covered)
      bad("tensor '", e->name, "' (bytes ", e->begin, "-", e->end, ") overlaps tensor '", previous->name, "' (bytes ",
          previous->begin, "-", previous->end, ")");
    if (e->begin > covered) bad("bytes ", covered, "-", e->begin, " of the data are not covered by any tensor");
    covered = e->end;
    if (e->end > e->begin) previous = e;
  }
  if (covered != data_size) bad("bytes ", covered, "-", data_size, " of the data are not covered by any tensor");

  const uint8_t* data = bytes.data() + 8 + n;
  for (const Entry& e : entries)
    if (e.dtype == DType::boolean)
      for (uint64_t i = e.begin; i < e.end; ++i)
        if (data[i] > 1) bad("tensor '", e.name, "': BOOL byte ", i - e.begin, " is ", +data[i], ", expected 0 or 1");

  // Everything checked: allocate (at most the file's size in total) and copy.
  StateDict sd;
  for (const Entry& e : entries) {
    Tensor t = Tensor::empty(e.shape, e.dtype);
    if (e.end > e.begin) std::memcpy(t.raw_data(), data + e.begin, e.end - e.begin);
    sd.insert(e.name, std::move(t));
  }
  if (metadata) *metadata = std::move(meta);
  return sd;
}

namespace safetensors {

void save(const StateDict& sd, const std::string& path, const std::map<std::string, std::string>& metadata) {
  write_file_atomic(path, encode(sd, metadata), "save_safetensors");
}

StateDict load(const std::string& path, std::map<std::string, std::string>* metadata) {
  const std::string bytes = read_file(path, "load_safetensors");
  return decode_safetensors({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, metadata, path);
}

}  // namespace safetensors
}  // namespace ojo
