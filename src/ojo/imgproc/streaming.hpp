// Internal: when a kernel writes its output with non-temporal (streaming) stores.
//
// A streaming store skips reading each destination line before writing it and keeps the output
// out of the caches. That pays for an output that would not stay cached anyway, and costs the
// next operation that reads it from memory instead of the cache otherwise. Measured with 1080p
// and 2160p shuffles against OpenCV on a 32 MB last-level cache: streaming 25-33 MB outputs was
// 1.2-2x faster than plain stores; for 6-8 MB outputs it made ojo itself faster but OpenCV's
// following call (plain stores, as a following ojo call would be) faster still. The line is
// fixed: the cache a core really shares (one core complex on AMD) is often smaller than what the
// system reports (256 MB on the machine above).
#pragma once

#include <cstdint>

namespace ojo::imgproc_detail {

constexpr int64_t kStreamOutputBytes = int64_t{16} << 20;
inline bool stream_output(int64_t bytes) { return bytes >= kStreamOutputBytes; }

// merge streams from 1 MiB: OpenCV's merge streams every aligned output, so both leave the caches
// alike (1080p, 1 thread: 0.96x OpenCV streamed, 1.22x with plain stores).
constexpr int64_t kMergeStreamBytes = int64_t{1} << 20;

}  // namespace ojo::imgproc_detail
