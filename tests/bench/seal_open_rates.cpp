// seal_open_rates: how many finished responses a kiosk can seal, and the central team can open,
// per second — with raw HPKE and a bare X25519 agreement alongside as baselines. Sealing is
// HPKE base mode: one X25519 key generation and one agreement (the dominant costs), HKDF and
// ChaCha20-Poly1305 over ~1.3 KB; opening is one agreement, HKDF and the AEAD.
//
// Run with --benchmark_repetitions=5 --benchmark_report_aggregates_only=true (tests/bench/run.sh
// does) so medians are reported; items_per_second is the rate.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "shared/common/files.h"
#include "shared/crypto/hpke.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"
#include "shared/crypto/x25519.h"
#include "shared/survey/response.h"
#include "shared/survey/survey_loader.h"
#include "tests/bench/bench_support.h"

#ifndef TUTORTIME_Y7_SURVEY
#error "TUTORTIME_Y7_SURVEY (the path of y7-baseline.survey.json) must be defined"
#endif

namespace {

using namespace tt;

// A finished Year 7 baseline response, as a kiosk would seal it: of the scripted pupils, the one
// whose plaintext is closest to 1.3 KB (a typical finished response).
struct Fixture {
  crypto::X25519KeyPair analysis = crypto::x25519_generate();
  nlohmann::json response;
  std::size_t response_bytes = 0;
  Bytes sealed;

  Fixture() {
    auto survey = std::make_shared<const survey::Survey>(survey::load_survey_file(TUTORTIME_Y7_SURVEY));
    survey::ResponseMetadata metadata;
    metadata.response_id = crypto::random_id128();
    metadata.device_id = crypto::random_id128();
    metadata.started_at = survey::utc_minute(1796461500);
    metadata.finished_at = survey::utc_minute(1796462100);
    metadata.pupil_code = "BENCH1";
    metadata.app_version = "0.1.0";
    std::size_t best_distance = SIZE_MAX;
    for (std::uint64_t pupil = 1; pupil <= 64; ++pupil) {
      survey::Flow flow(survey);
      flow.start();
      bench::answer_all(flow, pupil);
      flow.finish();
      nlohmann::json candidate = survey::build_response(flow, metadata);
      std::size_t size = candidate.dump().size();
      std::size_t distance = size > 1300 ? size - 1300 : 1300 - size;
      if (distance < best_distance) {
        best_distance = distance;
        response = std::move(candidate);
        response_bytes = size;
      }
    }
    sealed = survey::seal_response(response, analysis.public_key);
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_SealResponse(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    Bytes sealed = survey::seal_response(f.response, f.analysis.public_key);
    benchmark::DoNotOptimize(sealed.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(f.response_bytes));
  state.counters["plaintext_bytes"] = static_cast<double>(f.response_bytes);
}
BENCHMARK(BM_SealResponse);

void BM_OpenResponse(benchmark::State& state) {
  const Fixture& f = fixture();
  std::string id = f.response.at("response_id").get<std::string>();
  for (auto _ : state) {
    nlohmann::json opened = survey::open_response(f.sealed, id, f.analysis.private_key.view());
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(f.response_bytes));
  state.counters["plaintext_bytes"] = static_cast<double>(f.response_bytes);
}
BENCHMARK(BM_OpenResponse);

// HPKE alone on 1 KB: seal_response less the JSON dump and the response id check.
void BM_HpkeSealBase(benchmark::State& state) {
  const Fixture& f = fixture();
  Bytes plaintext = crypto::random_bytes(1024);
  const std::string aad = "0123456789abcdef0123456789abcdef";
  for (auto _ : state) {
    Bytes sealed = crypto::hpke_seal_base(crypto::HpkeAead::ChaCha20Poly1305, f.analysis.public_key,
                                          as_bytes(survey::kResponseHpkeInfo), as_bytes(aad), plaintext);
    benchmark::DoNotOptimize(sealed.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_HpkeSealBase);

void BM_HpkeOpenBase(benchmark::State& state) {
  const Fixture& f = fixture();
  Bytes plaintext = crypto::random_bytes(1024);
  const std::string aad = "0123456789abcdef0123456789abcdef";
  Bytes sealed = crypto::hpke_seal_base(crypto::HpkeAead::ChaCha20Poly1305, f.analysis.public_key,
                                        as_bytes(survey::kResponseHpkeInfo), as_bytes(aad), plaintext);
  for (auto _ : state) {
    crypto::SecretBytes opened =
        crypto::hpke_open_base(crypto::HpkeAead::ChaCha20Poly1305, f.analysis.private_key.view(),
                               as_bytes(survey::kResponseHpkeInfo), as_bytes(aad), sealed);
    benchmark::DoNotOptimize(opened.view().data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_HpkeOpenBase);

// Baselines: the X25519 operations HPKE is built on. Seal = one generate + one agreement
// (+ a public-from-private inside generate); open = one agreement.
void BM_X25519SharedSecret(benchmark::State& state) {
  const Fixture& f = fixture();
  crypto::X25519KeyPair peer = crypto::x25519_generate();
  for (auto _ : state) {
    crypto::SecretBytes shared = crypto::x25519_shared_secret(f.analysis.private_key.view(), peer.public_key);
    benchmark::DoNotOptimize(shared.view().data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_X25519SharedSecret);

void BM_X25519Generate(benchmark::State& state) {
  for (auto _ : state) {
    crypto::X25519KeyPair pair = crypto::x25519_generate();
    benchmark::DoNotOptimize(pair.public_key.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_X25519Generate);

// Importing a raw private key (what x25519_public_from_private() does, and what
// x25519_shared_secret() does before its agreement): OpenSSL 3.0 derives the public key on
// import, so this is one full scalar multiplication.
void BM_X25519PublicFromPrivate(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    Bytes pub = crypto::x25519_public_from_private(f.analysis.private_key.view());
    benchmark::DoNotOptimize(pub.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_X25519PublicFromPrivate);

// Not a seal step, but on the same path: PupilSession::finish() parses the analysis public key
// from its PEM setting before every seal (OpenSSL 3.0's decoder framework makes that costly).
void BM_PublicKeyFromPem(benchmark::State& state) {
  const Fixture& f = fixture();
  std::string pem = crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, f.analysis.public_key);
  for (auto _ : state) {
    Bytes key = crypto::public_key_from_pem(pem, crypto::KeyAlgorithm::X25519);
    benchmark::DoNotOptimize(key.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PublicKeyFromPem);

}  // namespace

BENCHMARK_MAIN();
