// The kiosk store: settings, surveys and maintenance. Drafts are in drafts.cpp, the outbox in
// outbox.cpp, opening and the storage key in store_open.cpp, the schema in schema.cpp.
//
// The invariants the whole store keeps are listed in kiosk_store.h; in short: no plaintext
// answer reaches disk (drafts are ChaCha20-Poly1305 under the storage key, bound to their row),
// every write is one transaction committed durably before the call returns (WAL with
// synchronous=FULL), a failed write rolls back and leaves earlier data intact, and nothing is
// deleted to recover from an error.
#include "kiosk/store/kiosk_store.h"

#include <chrono>

#include "kiosk/store/store_impl.h"

namespace tt::kiosk {
using store::Statement;
using store::Transaction;

void KioskStore::set_setting(const std::string& key, const std::string& value) {
  auto op = Impl::op(*this, "set setting '" + key + "'");
  Statement st(op,
               "INSERT INTO settings(key, value) VALUES(?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  st.bind_text(1, key).bind_text(2, value).run();
}

std::optional<std::string> KioskStore::setting(const std::string& key) const {
  auto op = Impl::op(*this, "read setting '" + key + "'");
  Statement st(op, "SELECT value FROM settings WHERE key = ?");
  st.bind_text(1, key);
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

namespace {

InstalledSurvey read_survey(const Statement& st) {
  return InstalledSurvey{st.column_text(0), st.column_int(1), st.column_text(2), st.column_blob(3), st.column_int(4)};
}

constexpr const char* kSurveyColumns = "SELECT survey_id, version, definition, signature, installed_at FROM surveys ";

}  // namespace

void KioskStore::install_survey(const InstalledSurvey& survey) {
  auto op = Impl::op(*this, "install survey " + survey.survey_id + " version " + std::to_string(survey.version));
  Transaction tx(op);
  {
    Statement existing(op, "SELECT definition, signature FROM surveys WHERE survey_id = ? AND version = ?");
    existing.bind_text(1, survey.survey_id).bind_int(2, survey.version);
    if (existing.step()) {
      // A published version never changes: drafts and responses refer to it by number.
      if (existing.column_text(0) == survey.definition_json && existing.column_blob(1) == survey.signature) return;
      op.fail(StoreErrorKind::Io,
              "this version is already installed with a different definition; a changed survey needs a new "
              "version");
    }
  }
  Statement insert(op,
                   "INSERT INTO surveys(survey_id, version, definition, signature, installed_at) "
                   "VALUES(?, ?, ?, ?, ?)");
  insert.bind_text(1, survey.survey_id)
      .bind_int(2, survey.version)
      .bind_text(3, survey.definition_json)
      .bind_blob(4, survey.signature)
      .bind_int(5, survey.installed_at != 0 ? survey.installed_at : Impl::now(*this))
      .run();
  tx.commit();
}

std::vector<InstalledSurvey> KioskStore::installed_surveys() const {
  auto op = Impl::op(*this, "list installed surveys");
  Statement st(op, std::string(kSurveyColumns) + "ORDER BY survey_id, version DESC");
  std::vector<InstalledSurvey> out;
  while (st.step()) out.push_back(read_survey(st));
  return out;
}

std::optional<InstalledSurvey> KioskStore::survey(const std::string& survey_id,
                                                  std::optional<std::int64_t> version) const {
  auto op = Impl::op(*this, "read survey " + survey_id);
  Statement st(op, std::string(kSurveyColumns) + (version ? "WHERE survey_id = ? AND version = ?"
                                                          : "WHERE survey_id = ? ORDER BY version DESC LIMIT 1"));
  st.bind_text(1, survey_id);
  if (version) st.bind_int(2, *version);
  if (!st.step()) return std::nullopt;
  return read_survey(st);
}

std::optional<std::int64_t> KioskStore::newest_survey_version(const std::string& survey_id) const {
  auto op = Impl::op(*this, "read the newest version of survey " + survey_id);
  Statement st(op, "SELECT max(version) FROM surveys WHERE survey_id = ?");
  st.bind_text(1, survey_id);
  if (!st.step() || st.is_null(0)) return std::nullopt;
  return st.column_int(0);
}

std::string KioskStore::integrity_check() const {
  auto op = Impl::op(*this, "check integrity");
  Statement st(op, "PRAGMA integrity_check");
  std::string out;
  while (st.step()) {
    if (!out.empty()) out += "\n";
    out += st.column_text(0);
  }
  return out;
}

void KioskStore::set_clock_for_tests(std::function<UnixSeconds()> clock) {
  if (!clock) {
    clock = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  clock_ = std::move(clock);
}

void KioskStore::set_max_page_count_for_tests(std::int64_t pages) {
  auto op = Impl::op(*this, "set max_page_count");
  store::exec(op, ("PRAGMA max_page_count = " + std::to_string(pages)).c_str());
}

std::string KioskStore::pragma_for_tests(const std::string& name) const {
  auto op = Impl::op(*this, "read PRAGMA " + name);
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) op.fail(StoreErrorKind::Io, "not a PRAGMA name");
  }
  Statement st(op, "PRAGMA " + name);
  return st.step() ? st.column_text(0) : std::string();
}

}  // namespace tt::kiosk
