// File: gen/internal/rng.h
//
// Internal to src/gen. Deterministic randomness for the generator: the same
// seed gives the same numbers on every platform and standard library, so
// nothing here uses std::random_device, std::*_distribution or libm.
//
//   Rng rng(seed, kStreamOrders);
//   if (rng.Chance(ChanceThreshold(0.05))) { ... }   // 5 %
//   int64_t minute = rng.Between(0, 59);
#pragma once

#include <cstdint>
#include <cstring>

namespace daybook::gen {

// The SplitMix64 finalizer: a bijection on 64-bit values with full
// avalanche. Distinct inputs give distinct outputs, which makes
// Mix64(counter + key) a collision-free id.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// A key derived from (seed, domain), for ids and per-concern streams.
inline uint64_t SeedKey(uint64_t seed, uint64_t domain) {
  return Mix64(Mix64(seed + 0x9e3779b97f4a7c15ULL) ^ (domain * 0xd1342543de82ef95ULL));
}

// Chance(threshold) is true with probability threshold / 2^64.
inline uint64_t ChanceThreshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return UINT64_MAX;
  return static_cast<uint64_t>(p * 18446744073709551616.0);
}

// xoshiro256** (Blackman & Vigna), seeded through SplitMix64. One instance
// per concern ("stream") so that, for example, changing the duplicate rate
// does not change the orders.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = SeedKey(seed, stream);
    for (uint64_t& s : s_) {
      x += 0x9e3779b97f4a7c15ULL;
      s = Mix64(x);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Lemire's multiply-shift (bias < n / 2^64).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi], lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(uint64_t threshold) {
    return threshold == UINT64_MAX || Next() < threshold;
  }
  // Approximately standard normal (Irwin-Hall with four uniforms: mean 0,
  // variance 1, bounded at ±3.46). Only basic IEEE arithmetic.
  double Normal() {
    double s = Uniform() + Uniform() + Uniform() + Uniform();
    return (s - 2.0) * 1.7320508075688772;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// e^x for |x| <= 700 from basic IEEE arithmetic only (range reduction by
// ln 2 and a degree-13 Taylor polynomial), so the result does not depend on
// the libm version. Relative error ~1e-15.
inline double DetExp(double x) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kInvLn2 = 1.44269504088896338700e+00;
  double kd = x * kInvLn2;
  int64_t k = static_cast<int64_t>(kd >= 0 ? kd + 0.5 : kd - 0.5);
  double r = (x - static_cast<double>(k) * kLn2Hi) - static_cast<double>(k) * kLn2Lo;
  // Horner over 1/k!, k = 13 .. 0.
  constexpr double kInvFactorial[] = {
      1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
      1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800};
  double sum = kInvFactorial[13];
  for (int i = 12; i >= 0; --i) sum = sum * r + kInvFactorial[i];
  // sum * 2^k by building the exponent bits (|k| is small here).
  uint64_t bits = static_cast<uint64_t>(k + 1023) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return sum * scale;
}

}  // namespace daybook::gen
