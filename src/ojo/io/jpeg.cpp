// JPEG through libjpeg-turbo, asking for the same output colour spaces as OpenCV 4.6's
// JpegDecoder/JpegEncoder, so pixels and encoded bytes are identical. Colour images decode straight
// to RGB (JCS_RGB) into the tensor's rows: no intermediate buffer and no channel swap.
//
// Differences from OpenCV, on purpose: a truncated file ("Premature end of JPEG file") throws
// instead of returning an image padded with gray. Other libjpeg warnings (corrupt but decodable
// data) are ignored, as OpenCV does.
//
// libjpeg reports errors by longjmp; each function that calls setjmp holds only plain data.
#include <cstdio>  // jpeglib.h needs FILE
#include <jpeglib.h>
#include <jerror.h>

#include <csetjmp>
#include <cstdlib>
#include <cstring>

#include "codecs.hpp"

namespace ojo::io_detail {
namespace {

struct JpegErr {
  jpeg_error_mgr pub;  // first member: libjpeg sees a jpeg_error_mgr*
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool truncated;
};

void on_error_exit(j_common_ptr c) {
  auto* e = reinterpret_cast<JpegErr*>(c->err);
  c->err->format_message(c, e->message);
  std::longjmp(e->jump, 1);
}

void on_emit(j_common_ptr c, int level) {
  if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF) {
    auto* e = reinterpret_cast<JpegErr*>(c->err);
    e->truncated = true;
    c->err->format_message(c, e->message);
    std::longjmp(e->jump, 1);
  }
}

struct Decoder {
  jpeg_decompress_struct cinfo;
  JpegErr err;
  Decoder() {
    std::memset(&cinfo, 0, sizeof cinfo);
    std::memset(&err, 0, sizeof err);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error_exit;
    err.pub.emit_message = on_emit;
  }
  ~Decoder() { jpeg_destroy_decompress(&cinfo); }
};

struct Encoder {
  jpeg_compress_struct cinfo;
  JpegErr err;
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  Encoder() {
    std::memset(&cinfo, 0, sizeof cinfo);
    std::memset(&err, 0, sizeof err);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error_exit;
    err.pub.emit_message = [](j_common_ptr, int) {};
  }
  ~Encoder() {
    jpeg_destroy_compress(&cinfo);
    std::free(out);
  }
};

// --- setjmp frames: plain data only ---

bool read_header(Decoder* d, const unsigned char* data, size_t size) {
  if (setjmp(d->err.jump)) return false;
  jpeg_create_decompress(&d->cinfo);
  jpeg_mem_src(&d->cinfo, data, size);
  jpeg_save_markers(&d->cinfo, JPEG_APP0 + 1, 0xffff);  // EXIF
  jpeg_read_header(&d->cinfo, TRUE);
  return true;
}

// OpenCV's icvCvt_CMYK2BGR / CMYK2Gray, written for RGB output.
void cmyk_row(const unsigned char* cmyk, unsigned char* out, JDIMENSION width, int channels) {
  for (JDIMENSION x = 0; x < width; ++x, cmyk += 4) {
    const int k = cmyk[3];
    const int r = k - ((255 - cmyk[0]) * k >> 8);
    const int g = k - ((255 - cmyk[1]) * k >> 8);
    const int b = k - ((255 - cmyk[2]) * k >> 8);
    if (channels == 1) {
      out[x] = cv_gray(r, g, b);
    } else {
      out[3 * x] = static_cast<unsigned char>(r);
      out[3 * x + 1] = static_cast<unsigned char>(g);
      out[3 * x + 2] = static_cast<unsigned char>(b);
    }
  }
}

// Decodes every row into base (row_bytes apart); CMYK goes through `cmyk` (one row of 4 channels).
bool read_pixels(Decoder* d, unsigned char* base, size_t row_bytes, unsigned char* cmyk, int channels) {
  if (setjmp(d->err.jump)) return false;
  jpeg_decompress_struct* c = &d->cinfo;
  jpeg_start_decompress(c);
  while (c->output_scanline < c->output_height) {
    if (cmyk) {
      JSAMPROW row = cmyk;
      const JDIMENSION y = c->output_scanline;
      if (jpeg_read_scanlines(c, &row, 1) != 1) ERREXIT(c, JERR_CANT_SUSPEND);
      cmyk_row(cmyk, base + y * row_bytes, c->output_width, channels);
    } else {
      JSAMPROW rows[16];
      JDIMENSION n = 0;
      for (; n < 16 && c->output_scanline + n < c->output_height; ++n)
        rows[n] = base + (c->output_scanline + n) * row_bytes;
      if (jpeg_read_scanlines(c, rows, n) == 0) ERREXIT(c, JERR_CANT_SUSPEND);
    }
  }
  jpeg_finish_decompress(c);
  return true;
}

bool write_image(Encoder* e, const unsigned char* base, long row_stride, JDIMENSION width, JDIMENSION height,
                 int channels, int quality, bool progressive) {
  if (setjmp(e->err.jump)) return false;
  jpeg_compress_struct* c = &e->cinfo;
  jpeg_create_compress(c);
  jpeg_mem_dest(c, &e->out, &e->out_size);
  c->image_width = width;
  c->image_height = height;
  c->input_components = channels;
  c->in_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(c);
  jpeg_set_quality(c, quality, TRUE);  // as OpenCV: baseline-limited tables
  if (progressive) jpeg_simple_progression(c);
  jpeg_start_compress(c, TRUE);
  while (c->next_scanline < c->image_height) {
    JSAMPROW row = const_cast<unsigned char*>(base + static_cast<long>(c->next_scanline) * row_stride);
    jpeg_write_scanlines(c, &row, 1);
  }
  jpeg_finish_compress(c);
  return true;
}

}  // namespace

Decoded decode_jpeg(const std::string& bytes, ImreadMode mode, const Where& at) {
  Decoder d;
  if (!read_header(&d, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size())) {
    if (d.err.truncated) fail_at(at, "truncated JPEG data in the header (", d.err.message, ")");
    fail_at(at, "invalid JPEG header: ", d.err.message);
  }
  jpeg_decompress_struct& c = d.cinfo;
  check_image_size(at, "JPEG", c.image_width, c.image_height);

  const int stored_channels = c.num_components > 1 ? 3 : 1;  // OpenCV: CV_8UC3 or CV_8UC1
  const int channels = mode == ImreadMode::color ? 3 : mode == ImreadMode::gray ? 1 : stored_channels;
  const bool is_cmyk = c.num_components == 4;
  if (is_cmyk) {
    c.out_color_space = JCS_CMYK;
  } else {
    c.out_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  }

  Decoded result;
  // Saved markers live until jpeg_finish_decompress frees them: read the orientation now.
  for (jpeg_saved_marker_ptr m = c.marker_list; m; m = m->next) {
    if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 && std::memcmp(m->data, "Exif\0\0", 6) == 0) {
      result.orientation = exif_orientation(m->data + 6, m->data_length - 6);
      break;
    }
  }
  result.image = Tensor::empty(channels == 1 ? Shape{c.image_height, c.image_width}
                                             : Shape{c.image_height, c.image_width, channels},
                               DType::u8);
  std::string cmyk_buffer(is_cmyk ? size_t{c.image_width} * 4 : 0, '\0');
  auto* base = static_cast<unsigned char*>(result.image.raw_data());
  const size_t row_bytes = size_t{c.image_width} * channels;
  if (!read_pixels(&d, base, row_bytes, is_cmyk ? reinterpret_cast<unsigned char*>(cmyk_buffer.data()) : nullptr,
                   channels)) {
    if (d.err.truncated)
      fail_at(at, "truncated JPEG data (", d.err.message, "; decoded ", c.output_scanline, " of ",
              c.image_height, " rows)");
    fail_at(at, "invalid JPEG data: ", d.err.message);
  }
  return result;
}

std::string encode_jpeg(const Tensor& img, const ImwriteOptions& options, const Where& at) {
  const int64_t channels = channels_of(img);
  check(channels == 1 || channels == 3, at.op, at.what, ": JPEG stores 1 or 3 channels, got ", channels,
        " (shape ", shape_str(img.shape()), ")");
  check(img.dtype() == DType::u8, at.op, at.what, ": JPEG stores uint8, got ", dtype_name(img.dtype()));
  check(options.jpeg_quality >= 0 && options.jpeg_quality <= 100, at.op, at.what,
        ": jpeg_quality must be 0..100, got ", options.jpeg_quality);
  check(img.size(0) <= JPEG_MAX_DIMENSION && img.size(1) <= JPEG_MAX_DIMENSION, at.op, at.what,
        ": JPEG sides are at most ", JPEG_MAX_DIMENSION, ", got ", shape_str(img.shape()));
  Encoder e;
  if (!write_image(&e, static_cast<const unsigned char*>(img.raw_data()), static_cast<long>(img.strides()[0]),
                   static_cast<JDIMENSION>(img.size(1)), static_cast<JDIMENSION>(img.size(0)),
                   static_cast<int>(channels), options.jpeg_quality, options.jpeg_progressive))
    fail_at(at, "JPEG encoding failed: ", e.err.message);
  return std::string(reinterpret_cast<const char*>(e.out), e.out_size);
}

}  // namespace ojo::io_detail
