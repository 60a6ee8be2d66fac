// Small PDFs for tests; see pdf_fixture.h. The encryption follows the PDF
// reference's standard security handler, algorithms 3.1 to 3.4, revision 2.

#include "tests/support/pdf_fixture.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace policy::testing {
namespace {

// ---------------------------------------------------------------------------
// MD5 (RFC 1321) and RC4, as the standard security handler needs them.

using Md5Digest = std::array<unsigned char, 16>;

Md5Digest md5(std::string_view message) {
  static constexpr std::array<std::uint32_t, 64> kSines = {
      0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
      0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
      0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
      0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
      0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
      0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
      0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
      0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
  static constexpr std::array<int, 16> kShifts = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};
  std::string data(message);
  const std::uint64_t bit_length = static_cast<std::uint64_t>(message.size()) * 8;
  data.push_back(static_cast<char>(0x80));
  while (data.size() % 64 != 56) data.push_back('\0');
  for (int i = 0; i < 8; ++i) data.push_back(static_cast<char>((bit_length >> (8 * i)) & 0xff));
  std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  for (std::size_t block = 0; block < data.size(); block += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 4; ++b) {
        w[i] |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[block + 4 * i + b])) << (8 * b);
      }
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const std::uint32_t sum = a + f + kSines[i] + w[g];
      const int shift = kShifts[(i / 16) * 4 + i % 4];
      a = d;
      d = c;
      c = b;
      b = b + ((sum << shift) | (sum >> (32 - shift)));
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  Md5Digest digest;
  for (int i = 0; i < 16; ++i) digest[i] = static_cast<unsigned char>((h[i / 4] >> (8 * (i % 4))) & 0xff);
  return digest;
}

std::string rc4(std::string_view key, std::string_view data) {
  std::array<unsigned char, 256> s;
  for (int i = 0; i < 256; ++i) s[i] = static_cast<unsigned char>(i);
  for (int i = 0, j = 0; i < 256; ++i) {
    j = (j + s[i] + static_cast<unsigned char>(key[i % key.size()])) & 0xff;
    std::swap(s[i], s[j]);
  }
  std::string out(data);
  for (std::size_t n = 0, i = 0, j = 0; n < out.size(); ++n) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    std::swap(s[i], s[j]);
    out[n] = static_cast<char>(out[n] ^ s[(s[i] + s[j]) & 0xff]);
  }
  return out;
}

std::string digest_bytes(const Md5Digest& digest, std::size_t n) {
  return std::string(reinterpret_cast<const char*>(digest.data()), n);
}

constexpr unsigned char kPasswordPadding[32] = {0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E,
                                                0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68,
                                                0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A};

std::string padded_password(std::string_view password) {
  std::string padded(password.substr(0, 32));
  for (std::size_t i = 0; padded.size() < 32; ++i) padded.push_back(static_cast<char>(kPasswordPadding[i]));
  return padded;
}

// The standard security handler's values for revision 2.
struct Security {
  std::string owner_entry;  // /O
  std::string user_entry;   // /U
  std::string file_key;     // 5 bytes
  std::int32_t permissions = -44;
};

Security make_security(const PdfEncryption& encryption, std::string_view file_id) {
  Security security;
  const std::string owner = encryption.owner_password.empty() ? encryption.user_password : encryption.owner_password;
  const std::string owner_key = digest_bytes(md5(padded_password(owner)), 5);
  security.owner_entry = rc4(owner_key, padded_password(encryption.user_password));
  std::string key_input = padded_password(encryption.user_password) + security.owner_entry;
  for (int i = 0; i < 4; ++i) {
    key_input.push_back(static_cast<char>((static_cast<std::uint32_t>(security.permissions) >> (8 * i)) & 0xff));
  }
  key_input += file_id;
  security.file_key = digest_bytes(md5(key_input), 5);
  security.user_entry = rc4(security.file_key, padded_password(""));
  return security;
}

// Algorithm 3.1: the key of one object's strings and streams.
std::string object_key(const Security& security, int object_number) {
  std::string input = security.file_key;
  for (int i = 0; i < 3; ++i) input.push_back(static_cast<char>((object_number >> (8 * i)) & 0xff));
  input += std::string(2, '\0');  // generation 0
  return digest_bytes(md5(input), security.file_key.size() + 5);
}

// ---------------------------------------------------------------------------
// Writing.

std::string hex_string(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "<";
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 15]);
  }
  return out + ">";
}

// UTF-8 -> the font's bytes (WinAnsi with 0x80 = /fi).
std::string to_font_encoding(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    std::size_t length = 1;
    if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      cp = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      length = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
      cp = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
      length = 3;
    }
    if (cp == 0xFB01) {
      out.push_back('\x80');
    } else if (cp == 0x2013) {
      out.push_back('\x96');
    } else if (cp == 0x2014) {
      out.push_back('\x97');
    } else if (cp >= 0xA0 && cp <= 0xFF) {
      out.push_back(static_cast<char>(cp));
    } else {
      out.push_back('?');
    }
    i += length;
  }
  return out;
}

std::string literal_string(std::string_view bytes) {
  std::string out = "(";
  for (const char c : bytes) {
    if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + ")";
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

std::string content_stream(const PdfFixturePage& page) {
  if (page.lines.empty()) return "0.5 g 72 72 468 648 re f\n";
  std::string content;
  for (const PdfTextLine& line : page.lines) {
    content += "BT /F1 " + number(line.font_size) + " Tf 1 0 0 1 " + number(line.x) + " " + number(line.y) + " Tm " +
               literal_string(to_font_encoding(line.text)) + " Tj ET\n";
  }
  return content;
}

}  // namespace

PdfFixturePage page_of_lines(const std::vector<std::string>& lines, double x, double top) {
  PdfFixturePage page;
  double y = top;
  for (const std::string& text : lines) {
    page.lines.push_back({x, y, text});
    y -= 14;
  }
  return page;
}

std::string make_pdf(const PdfFixture& fixture) {
  const std::string file_id = "policy-search-fx";  // 16 bytes
  Security security;
  if (fixture.encrypt) security = make_security(fixture.encryption, file_id);

  // A string in object `object_number`: encrypted when the file is.
  auto string_in = [&](int object_number, std::string_view bytes) {
    if (!fixture.encrypt) return literal_string(bytes);
    return hex_string(rc4(object_key(security, object_number), bytes));
  };
  auto stream_in = [&](int object_number, const std::string& data) {
    const std::string bytes = fixture.encrypt ? rc4(object_key(security, object_number), data) : data;
    return "<< /Length " + std::to_string(bytes.size()) + " >>\nstream\n" + bytes + "\nendstream";
  };

  // 1 catalog, 2 page tree, 3 font, 4 info, 5 encryption dictionary, a page
  // object and its content stream for each page, then the ToUnicode CMap.
  const int page_count = static_cast<int>(fixture.pages.size());
  std::vector<std::string> objects(5 + 2 * page_count + 1);
  const int to_unicode_object = static_cast<int>(objects.size());
  objects[to_unicode_object - 1] =
      stream_in(to_unicode_object,
                "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
                "1 begincodespacerange <00> <FF> endcodespacerange\n"
                "1 beginbfchar <80> <FB01> endbfchar\n"
                "endcmap CMapName currentdict /CMap defineresource pop end end\n");
  std::string catalog = "<< /Type /Catalog /Pages 2 0 R";
  if (!fixture.lang.empty()) catalog += " /Lang " + string_in(1, fixture.lang);
  objects[0] = catalog + " >>";
  std::string kids;
  for (int p = 0; p < page_count; ++p) kids += std::to_string(6 + 2 * p) + " 0 R ";
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(page_count) + " >>";
  objects[2] =
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding "
      "/WinAnsiEncoding /Differences [128 /fi] >>" +
      (fixture.fi_in_to_unicode ? " /ToUnicode " + std::to_string(to_unicode_object) + " 0 R" : std::string()) + " >>";
  std::string info = "<<";
  for (const auto& [key, value] : fixture.info) info += " /" + key + " " + string_in(4, value);
  objects[3] = info + " >>";
  objects[4] = "<< /Filter /Standard /V 1 /R 2 /O " + hex_string(security.owner_entry) + " /U " +
               hex_string(security.user_entry) + " /P " + std::to_string(security.permissions) + " >>";
  for (int p = 0; p < page_count; ++p) {
    const int page_object = 6 + 2 * p;
    objects[page_object - 1] =
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents " +
        std::to_string(page_object + 1) + " 0 R >>";
    objects[page_object] = stream_in(page_object + 1, content_stream(fixture.pages[p]));
  }

  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R /Info 4 0 R";
  if (fixture.encrypt) pdf += " /Encrypt 5 0 R";
  pdf += " /ID [" + hex_string(file_id) + " " + hex_string(file_id) + "] >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return pdf;
}

}  // namespace policy::testing
