#pragma once
// Writes small GGUF files for tests: little-endian, version 3, tensor data zero-filled.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

class GgufWriter {
public:
  struct Tensor {
    std::string name;
    std::vector<std::uint64_t> dims;
    std::uint32_t type;
    std::uint64_t bytes; // stored size, as the test computes it by hand
  };

  void u32(const std::string& key, std::uint32_t v) {
    this->key(key, 4);
    put(v);
    ++metadata_;
  }
  void str(const std::string& key, const std::string& v) {
    this->key(key, 8);
    put_string(v);
    ++metadata_;
  }
  void strings(const std::string& key, const std::vector<std::string>& v) {
    this->key(key, 9);
    put(std::uint32_t{8});
    put(static_cast<std::uint64_t>(v.size()));
    for (const auto& s : v) {
      put_string(s);
    }
    ++metadata_;
  }
  void u32s(const std::string& key, const std::vector<std::uint32_t>& v) {
    this->key(key, 9);
    put(std::uint32_t{4});
    put(static_cast<std::uint64_t>(v.size()));
    for (const auto x : v) {
      put(x);
    }
    ++metadata_;
  }
  void tensor(const std::string& name, std::vector<std::uint64_t> dims, std::uint32_t type, std::uint64_t bytes) {
    tensors_.push_back({name, std::move(dims), type, bytes});
  }

  // The whole file; `keep` < size() cuts it short (a truncated download).
  [[nodiscard]] std::string bytes() const {
    std::string out;
    append(out, std::uint32_t{0x46554747});
    append(out, std::uint32_t{3});
    append(out, static_cast<std::uint64_t>(tensors_.size()));
    append(out, metadata_);
    out += kv_;
    std::uint64_t offset = 0;
    for (const auto& t : tensors_) {
      append(out, static_cast<std::uint64_t>(t.name.size()));
      out += t.name;
      append(out, static_cast<std::uint32_t>(t.dims.size()));
      for (const auto d : t.dims) {
        append(out, d);
      }
      append(out, t.type);
      append(out, offset);
      offset = (offset + t.bytes + 31) / 32 * 32;
    }
    out.resize((out.size() + 31) / 32 * 32, '\0');
    out.resize(out.size() + offset, '\0');
    return out;
  }

  static void save(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

private:
  template <typename T> static void append(std::string& out, T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.append(b, sizeof(T));
  }
  template <typename T> void put(T v) { append(kv_, v); }
  void put_string(const std::string& s) {
    put(static_cast<std::uint64_t>(s.size()));
    kv_ += s;
  }
  void key(const std::string& k, std::uint32_t type) {
    put_string(k);
    put(type);
  }

  std::string kv_;
  std::uint64_t metadata_ = 0;
  std::vector<Tensor> tensors_;
};
