// POST /v1/batches and POST /v1/admin/import: exactly-once storage of sealed responses (storage.h, invariant 1).
#include "shared/protocol/batch.h"
#include "shared/protocol/json_body.h"
#include "sync/central/central_service.h"

namespace tt::central {

using protocol::ProblemKind;
using protocol::UploadResult;
using protocol::UploadStatus;

ServiceReply CentralService::upload_batch(const ServiceRequest& request) {
  return guarded("upload batch", [&] {
    require_json_body(request);
    RequestNonce nonce;
    DeviceRecord device = authenticate_device(request, &nonce);
    return store_batch_body(request, device.device_id, &nonce, "device " + device.device_id);
  });
}

ServiceReply CentralService::import_responses(const ServiceRequest& request) {
  return guarded("import responses", [&] {
    require_admin(request);
    require_json_body(request);
    return store_batch_body(request, "", nullptr, "import");
  });
}

ServiceReply CentralService::store_batch_body(const ServiceRequest& request, const std::string& device_id,
                                              const RequestNonce* nonce, const std::string& who) {
  std::vector<protocol::BatchEntry> entries;
  try {
    entries = protocol::parse_batch_upload(request.body);
  } catch (const protocol::ProtocolError& e) {
    throw ProblemError(ProblemKind::MalformedRequest, e.what());
  }
  if (entries.size() > settings_.max_batch_responses) {
    throw ProblemError(ProblemKind::BatchTooLarge, "the batch holds " + std::to_string(entries.size()) +
                                                       " responses; this server takes at most " +
                                                       std::to_string(settings_.max_batch_responses) + " at once");
  }
  // Entries the protocol or this server's limits refuse are answered here; the rest go to
  // storage together, in one transaction.
  std::vector<UploadResult> results(entries.size());
  std::vector<protocol::SealedUpload> to_store;
  std::vector<std::size_t> stored_index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    protocol::BatchEntry& entry = entries[i];
    results[i].index = i;
    results[i].response_id = entry.response_id;
    if (!entry.upload) {
      results[i].reason = entry.rejection;
    } else if (entry.upload->sealed.size() > settings_.max_sealed_bytes) {
      results[i].reason = "/responses/" + std::to_string(i) + "/sealed is " +
                          std::to_string(entry.upload->sealed.size()) + " bytes; this server takes at most " +
                          std::to_string(settings_.max_sealed_bytes);
    } else {
      stored_index.push_back(i);
      to_store.push_back(std::move(*entry.upload));
    }
  }
  std::optional<std::vector<StoreOutcome>> outcomes = storage_.store_signed_batch(device_id, nonce, to_store, clock_());
  if (!outcomes) throw replayed_request();
  std::size_t counts[3] = {0, 0, 0};
  for (std::size_t k = 0; k < outcomes->size(); ++k) {
    UploadResult& r = results[stored_index[k]];
    r.status = (*outcomes)[k].status;
    r.reason = (*outcomes)[k].reason;
  }
  for (const UploadResult& r : results) ++counts[static_cast<int>(r.status)];
  return json_reply(200, protocol::batch_reply_to_json(results),
                    who + ": stored " + std::to_string(counts[0]) + ", duplicate " + std::to_string(counts[1]) +
                        ", rejected " + std::to_string(counts[2]));
}

}  // namespace tt::central
