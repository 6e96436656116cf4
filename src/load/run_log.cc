#include "load/run_log.h"

#include <climits>

#include "core/json.h"
#include "core/version.h"

namespace daybook {

Result<int64_t> NextRunId(Warehouse& wh) {
  DAYBOOK_ASSIGN_OR_RETURN(int64_t last, wh.QueryInt("SELECT coalesce(max(run_id), 0) FROM pipeline_runs"));
  return last + 1;
}

Result<std::vector<std::string>> LoadedHashes(Warehouse& wh, const std::vector<std::string>& hashes) {
  std::vector<std::string> out;
  if (hashes.empty()) return out;
  std::string in;
  for (const auto& h : hashes) in += (in.empty() ? "" : ",") + SqlQuote(h);
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query("SELECT DISTINCT content_hash FROM loaded_files WHERE content_hash IN (" + in + ")"));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) out.emplace_back(rows->String(0, r));
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return out;
}

Result<std::vector<LoadedFile>> LoadedFilesByPath(Warehouse& wh, const std::vector<std::string>& paths) {
  std::vector<LoadedFile> out;
  if (paths.empty()) return out;
  std::string in;
  for (const auto& p : paths) in += (in.empty() ? "" : ",") + SqlQuote(p);
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query(
      "SELECT path, size_bytes, modified_ns, content_hash FROM loaded_files WHERE path IN (" + in + ")"));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      LoadedFile f;
      f.path = rows->String(0, r);
      f.size_bytes = rows->Int64(1, r);
      f.modified_ns = rows->Int64(2, r);
      f.content_hash = rows->String(3, r);
      out.push_back(std::move(f));
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  return out;
}

Result<std::vector<int32_t>> NumberSourceFiles(Warehouse& wh, const std::vector<SourceFile>& files, int64_t run_id) {
  std::vector<int32_t> ids(files.size(), 0);
  if (files.empty()) return ids;
  std::string in;
  for (const auto& f : files) in += (in.empty() ? "" : ",") + SqlQuote(f.path);
  std::map<std::pair<std::string, std::string>, int32_t> known;
  DAYBOOK_ASSIGN_OR_RETURN(auto rows, wh.Query("SELECT source, path, source_file_id FROM source_files WHERE path IN (" +
                                               in + ")"));
  while (rows->NextChunk()) {
    for (size_t r = 0; r < rows->size(); ++r) {
      known[{std::string(rows->String(0, r)), std::string(rows->String(1, r))}] =
          static_cast<int32_t>(rows->Int64(2, r));
    }
  }
  DAYBOOK_RETURN_IF_ERROR(rows->status());
  DAYBOOK_ASSIGN_OR_RETURN(int64_t last, wh.QueryInt("SELECT coalesce(max(source_file_id), 0) FROM source_files"));
  std::string values;
  for (size_t i = 0; i < files.size(); ++i) {
    auto it = known.find({files[i].source, files[i].path});
    if (it == known.end()) {
      if (last >= INT32_MAX) return Failed("source_files: every source_file_id up to 2^31 - 1 is taken");
      it = known.emplace(std::make_pair(files[i].source, files[i].path), static_cast<int32_t>(++last)).first;
      values += (values.empty() ? "(" : ", (") + std::to_string(it->second) + ", " + SqlQuote(files[i].source) +
                ", " + SqlQuote(files[i].path) + ", " + std::to_string(run_id) + ")";
    }
    ids[i] = it->second;
  }
  if (!values.empty()) DAYBOOK_RETURN_IF_ERROR(wh.Exec("INSERT INTO source_files VALUES " + values));
  return ids;
}

Status RecordLoadedFiles(Warehouse& wh, const std::vector<LoadedFile>& files, int64_t run_id, Timestamp now) {
  if (files.empty()) return Status::Ok();
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("loaded_files"));
  for (const auto& f : files) {
    app->String(0, f.path);
    app->String(1, f.source);
    app->Int64(2, f.size_bytes);
    app->Int64(3, f.modified_ns);
    app->String(4, f.content_hash);
    app->Int64(5, f.rows_read);
    app->Int64(6, f.accepted);
    app->Int64(7, f.duplicates);
    app->Int64(8, f.quarantined);
    app->Int64(9, run_id);
    app->Int64(10, now.micros);
    DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  }
  return app->Close();
}

Status RecordRun(Warehouse& wh, const RunRecord& r) {
  JsonWriter reasons;
  reasons.BeginObject();
  for (const auto& [k, v] : r.quarantined_by_reason) reasons.Key(k).Int(v);
  reasons.EndObject();
  JsonWriter stages;
  stages.BeginObject();
  for (const auto& [k, v] : r.stage_ms) stages.Key(k).Int(v);
  stages.EndObject();
  DAYBOOK_ASSIGN_OR_RETURN(auto app, wh.Appender("pipeline_runs"));
  size_t c = 0;
  app->Int64(c++, r.run_id);
  app->String(c++, r.command);
  app->String(c++, r.status);
  app->Int64(c++, r.started_at.micros);
  app->Int64(c++, r.finished_at.micros);
  app->Int64(c++, r.duration_ms);
  app->Int64(c++, r.rows_read);
  app->Int64(c++, r.accepted);
  app->Int64(c++, r.duplicates);
  app->Int64(c++, r.quarantined);
  app->String(c++, reasons.str());
  app->Int64(c++, r.files_loaded);
  app->Int64(c++, r.files_skipped);
  app->Int64(c++, r.affected_orders);
  app->Int64(c++, r.affected_dates);
  app->Int64(c++, r.published_days);
  app->Int64(c++, r.restated_days);
  app->Double(c++, r.drop_rate);
  app->Double(c++, r.max_drop_rate);
  app->String(c++, stages.str());
  if (r.error.empty()) app->Null(c++); else app->String(c++, r.error);
  if (r.sample_rejections_json.empty()) app->Null(c++); else app->String(c++, r.sample_rejections_json);
  app->String(c++, kDaybookVersion);
  DAYBOOK_RETURN_IF_ERROR(app->EndRow());
  return app->Close();
}

Status RecordSchemaDrift(Warehouse& wh, const std::vector<DriftField>& fields, int64_t run_id, Timestamp now) {
  for (const auto& f : fields) {
    DAYBOOK_ASSIGN_OR_RETURN(int64_t known, wh.QueryInt("SELECT count(*) FROM schema_drift WHERE field_name = " + SqlQuote(f.name)));
    if (known) {
      DAYBOOK_RETURN_IF_ERROR(wh.Exec("UPDATE schema_drift SET occurrences = occurrences + " + std::to_string(f.count) +
                                      ", last_seen_run_id = " + std::to_string(run_id) +
                                      " WHERE field_name = " + SqlQuote(f.name)));
    } else {
      DAYBOOK_RETURN_IF_ERROR(wh.Exec(
          "INSERT INTO schema_drift VALUES (" + SqlQuote(f.name) + ", make_timestamptz(" +
          std::to_string(now.micros) + "::BIGINT), " + std::to_string(run_id) + ", " +
          SqlQuote(f.first_locator) + ", " + std::to_string(run_id) + ", " + std::to_string(f.count) + ")"));
    }
  }
  return Status::Ok();
}

}  // namespace daybook
