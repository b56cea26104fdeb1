// Drafts: a pupil's answers in progress, encrypted before they are written (draft_crypto.h),
// and finish_draft(), which moves a draft into the outbox in one transaction (invariant 4).
#include "kiosk/store/draft_crypto.h"
#include "kiosk/store/store_impl.h"
#include "shared/crypto/aead.h"

namespace tt::kiosk {
using store::DraftBinding;
using store::Op;
using store::Statement;
using store::Transaction;

namespace {

constexpr const char* kInfoColumns =
    "SELECT id, response_id, survey_id, survey_version, created_at, updated_at FROM drafts ";

DraftInfo read_info(const Statement& st) {
  return DraftInfo{st.column_int(0), st.column_text(1), st.column_text(2),
                   st.column_int(3), st.column_int(4),  st.column_int(5)};
}

DraftBinding binding_of(const DraftInfo& info) {
  return DraftBinding{KioskStore::kSchemaVersion, info.id, info.survey_id, info.survey_version, info.response_id};
}

DraftInfo require_draft(const Op& op, DraftId id) {
  Statement st(op, std::string(kInfoColumns) + "WHERE id = ?");
  st.bind_int(1, id);
  if (!st.step()) op.fail(StoreErrorKind::NotFound, "there is no draft " + std::to_string(id));
  return read_info(st);
}

void write_ciphertext(const Op& op, ByteView key, const DraftInfo& info, ByteView plaintext, UnixSeconds now) {
  store::SealedDraft sealed = store::seal_draft(key, binding_of(info), plaintext);
  Statement st(op, "UPDATE drafts SET nonce = ?, ciphertext = ?, updated_at = ? WHERE id = ?");
  st.bind_blob(1, sealed.nonce).bind_blob(2, sealed.ciphertext).bind_int(3, now).bind_int(4, info.id).run();
}

bool exists(const Op& op, const char* sql, const std::string& value) {
  Statement st(op, sql);
  st.bind_text(1, value);
  return st.step();
}

}  // namespace

DraftId KioskStore::create_draft(const std::string& response_id, const std::string& survey_id,
                                 std::int64_t survey_version, ByteView plaintext) {
  auto op = Impl::op(*this, "create a draft for response " + response_id);
  if (response_id.empty() || survey_id.empty())
    op.fail(StoreErrorKind::Io, "the response id and survey id are required");
  UnixSeconds now = Impl::now(*this);
  // The row id is part of the associated data, so insert first, then encrypt and update: one
  // transaction, so no row without its ciphertext is ever committed.
  Transaction tx(op);
  if (exists(op, "SELECT 1 FROM drafts WHERE response_id = ?", response_id)) {
    op.fail(StoreErrorKind::Io, "there is already a draft for this response");
  }
  if (exists(op, "SELECT 1 FROM outbox WHERE response_id = ?", response_id)) {
    op.fail(StoreErrorKind::Io, "this response is already finished and in the outbox");
  }
  Statement insert(op,
                   "INSERT INTO drafts(response_id, survey_id, survey_version, created_at, updated_at, nonce, "
                   "ciphertext) VALUES(?, ?, ?, ?, ?, x'', x'')");
  insert.bind_text(1, response_id).bind_text(2, survey_id).bind_int(3, survey_version).bind_int(4, now);
  insert.bind_int(5, now).run();
  DraftInfo info{sqlite3_last_insert_rowid(db_), response_id, survey_id, survey_version, now, now};
  write_ciphertext(op, Impl::key(*this), info, plaintext, now);
  tx.commit();
  return info.id;
}

void KioskStore::save_draft(DraftId id, ByteView plaintext) {
  auto op = Impl::op(*this, "save draft " + std::to_string(id));
  Transaction tx(op);
  DraftInfo info = require_draft(op, id);
  write_ciphertext(op, Impl::key(*this), info, plaintext, Impl::now(*this));
  tx.commit();
}

crypto::SecretBytes KioskStore::load_draft(DraftId id) const {
  auto op = Impl::op(*this, "load draft " + std::to_string(id));
  Statement st(op,
               "SELECT id, response_id, survey_id, survey_version, created_at, updated_at, nonce, ciphertext "
               "FROM drafts WHERE id = ?");
  st.bind_int(1, id);
  if (!st.step()) op.fail(StoreErrorKind::NotFound, "there is no draft " + std::to_string(id));
  DraftInfo info = read_info(st);
  try {
    return store::open_draft(Impl::key(*this), binding_of(info), st.column_blob(6), st.column_blob(7));
  } catch (const crypto::AuthenticationError&) {
    op.fail(StoreErrorKind::Corrupt, "draft " + std::to_string(id) +
                                         " failed authentication: it was altered or moved from another row, "
                                         "survey or schema version");
  }
}

std::vector<DraftInfo> KioskStore::drafts() const {
  auto op = Impl::op(*this, "list drafts");
  Statement st(op, std::string(kInfoColumns) + "ORDER BY id");
  std::vector<DraftInfo> out;
  while (st.step()) out.push_back(read_info(st));
  return out;
}

std::optional<DraftInfo> KioskStore::draft_info(DraftId id) const {
  auto op = Impl::op(*this, "read draft " + std::to_string(id));
  Statement st(op, std::string(kInfoColumns) + "WHERE id = ?");
  st.bind_int(1, id);
  if (!st.step()) return std::nullopt;
  return read_info(st);
}

void KioskStore::delete_draft(DraftId id) {
  auto op = Impl::op(*this, "delete draft " + std::to_string(id));
  Statement st(op, "DELETE FROM drafts WHERE id = ?");
  st.bind_int(1, id).run();
  if (sqlite3_changes64(db_) == 0) op.fail(StoreErrorKind::NotFound, "there is no draft " + std::to_string(id));
}

std::int64_t KioskStore::discard_drafts_older_than(UnixSeconds cutoff) {
  auto op = Impl::op(*this, "discard drafts older than " + std::to_string(cutoff));
  Statement st(op, "DELETE FROM drafts WHERE updated_at < ?");
  st.bind_int(1, cutoff).run();
  return sqlite3_changes64(db_);
}

void KioskStore::finish_draft(DraftId id, const SealedResponse& response) {
  auto op = Impl::op(*this, "finish draft " + std::to_string(id));
  if (response.sealed.empty()) op.fail(StoreErrorKind::Io, "the sealed response is empty");
  Transaction tx(op);
  DraftInfo info = require_draft(op, id);
  // Empty / zero fields in `response` are taken from the draft; given ones must match it.
  if (!response.response_id.empty() && response.response_id != info.response_id) {
    op.fail(StoreErrorKind::Io, "the sealed response is for response " + response.response_id + ", but the draft is " +
                                    info.response_id + "; the draft was kept");
  }
  if ((!response.survey_id.empty() && response.survey_id != info.survey_id) ||
      (response.survey_version != 0 && response.survey_version != info.survey_version)) {
    op.fail(StoreErrorKind::Io, "the sealed response is for survey " + response.survey_id + " version " +
                                    std::to_string(response.survey_version) + ", but the draft is for " +
                                    info.survey_id + " version " + std::to_string(info.survey_version) +
                                    "; the draft was kept");
  }
  if (exists(op, "SELECT 1 FROM outbox WHERE response_id = ?", info.response_id)) {
    op.fail(StoreErrorKind::Io, "response " + info.response_id + " is already in the outbox; the draft was kept");
  }
  Statement insert(op,
                   "INSERT INTO outbox(response_id, survey_id, survey_version, sealed, finished_at, "
                   "acknowledged_at) VALUES(?, ?, ?, ?, ?, NULL)");
  insert.bind_text(1, info.response_id).bind_text(2, info.survey_id).bind_int(3, info.survey_version);
  insert.bind_blob(4, response.sealed).bind_int(5, response.finished_at != 0 ? response.finished_at : Impl::now(*this));
  insert.run();
  Statement remove(op, "DELETE FROM drafts WHERE id = ?");
  remove.bind_int(1, id).run();
  tx.commit();
}

}  // namespace tt::kiosk
