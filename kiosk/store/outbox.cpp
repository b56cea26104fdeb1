// The outbox: finished responses, HPKE-sealed by the caller, waiting for the server to
// acknowledge them. A row leaves only once acknowledged (invariant 5). Order is oldest first:
// finished_at, then insertion order (rowid).
#include <algorithm>

#include "kiosk/store/store_impl.h"

namespace tt::kiosk {
using store::Statement;
using store::Transaction;

namespace {

constexpr const char* kColumns =
    "SELECT response_id, survey_id, survey_version, sealed, finished_at, acknowledged_at FROM outbox ";

SealedResponse read_row(const Statement& st) {
  SealedResponse out;
  out.response_id = st.column_text(0);
  out.survey_id = st.column_text(1);
  out.survey_version = st.column_int(2);
  out.sealed = st.column_blob(3);
  out.finished_at = st.column_int(4);
  if (!st.is_null(5)) out.acknowledged_at = st.column_int(5);
  return out;
}

}  // namespace

std::vector<SealedResponse> KioskStore::outbox_waiting(std::size_t max_count, std::size_t max_bytes) const {
  auto op = Impl::op(*this, "list the outbox");
  // max_count 0 is treated as 1, like max_bytes: the uploader must always make progress.
  max_count = std::max<std::size_t>(max_count, 1);
  Statement st(op, std::string(kColumns) + "WHERE acknowledged_at IS NULL ORDER BY finished_at, rowid LIMIT ?");
  st.bind_int(1, static_cast<std::int64_t>(std::min<std::size_t>(max_count, INT64_MAX)));
  std::vector<SealedResponse> out;
  std::size_t bytes = 0;
  while (st.step()) {
    SealedResponse row = read_row(st);
    // Stop at the first row that does not fit (never skip ahead: the order is strict).
    if (!out.empty() && row.sealed.size() > max_bytes - std::min(bytes, max_bytes)) break;
    bytes += row.sealed.size();
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<SealedResponse> KioskStore::outbox_all() const {
  auto op = Impl::op(*this, "list the outbox");
  Statement st(op, std::string(kColumns) + "ORDER BY finished_at, rowid");
  std::vector<SealedResponse> out;
  while (st.step()) out.push_back(read_row(st));
  return out;
}

std::optional<SealedResponse> KioskStore::outbox_entry(const std::string& response_id) const {
  auto op = Impl::op(*this, "read outbox entry " + response_id);
  Statement st(op, std::string(kColumns) + "WHERE response_id = ?");
  st.bind_text(1, response_id);
  if (!st.step()) return std::nullopt;
  return read_row(st);
}

std::int64_t KioskStore::mark_acknowledged(const std::vector<std::string>& response_ids) {
  auto op = Impl::op(*this, "mark " + std::to_string(response_ids.size()) + " responses acknowledged");
  Transaction tx(op);
  Statement st(op, "UPDATE outbox SET acknowledged_at = ? WHERE response_id = ? AND acknowledged_at IS NULL");
  UnixSeconds now = Impl::now(*this);
  std::int64_t changed = 0;
  for (const std::string& id : response_ids) {
    st.bind_int(1, now).bind_text(2, id).run();
    changed += sqlite3_changes64(db_);
    st.reset();
  }
  tx.commit();
  return changed;
}

std::int64_t KioskStore::purge_acknowledged() {
  auto op = Impl::op(*this, "purge acknowledged responses");
  Statement st(op, "DELETE FROM outbox WHERE acknowledged_at IS NOT NULL");
  st.run();
  return sqlite3_changes64(db_);
}

std::int64_t KioskStore::forget_acknowledged(const std::vector<std::string>& response_ids) {
  auto op = Impl::op(*this, "forget " + std::to_string(response_ids.size()) + " acknowledged responses");
  Transaction tx(op);
  Statement st(op, "DELETE FROM outbox WHERE response_id = ?");
  std::int64_t deleted = 0;
  for (const std::string& id : response_ids) {
    st.bind_text(1, id).run();
    deleted += sqlite3_changes64(db_);
    st.reset();
  }
  Statement marked(op, "DELETE FROM outbox WHERE acknowledged_at IS NOT NULL");
  marked.run();
  deleted += sqlite3_changes64(db_);
  tx.commit();
  return deleted;
}

OutboxSummary KioskStore::outbox_summary() const {
  auto op = Impl::op(*this, "summarise the outbox");
  Statement st(op,
               "SELECT count(*) FILTER (WHERE acknowledged_at IS NULL), "
               "coalesce(sum(length(sealed)) FILTER (WHERE acknowledged_at IS NULL), 0), "
               "min(finished_at) FILTER (WHERE acknowledged_at IS NULL), "
               "count(*) FILTER (WHERE acknowledged_at IS NOT NULL) FROM outbox");
  st.step();
  OutboxSummary out;
  out.waiting = st.column_int(0);
  out.waiting_bytes = st.column_int(1);
  if (!st.is_null(2)) out.oldest_waiting_finished_at = st.column_int(2);
  out.acknowledged_not_purged = st.column_int(3);
  return out;
}

}  // namespace tt::kiosk
