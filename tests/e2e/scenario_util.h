// File: tests/e2e/scenario_util.h
//
// Helpers shared by the scenario and alert end-to-end tests
// (scenarios_test.cc, alerts_e2e_test.cc), on top of harness.h:
//  - a project whose daybook.yml configures alert sinks (file, command, and
//    optionally a webhook), with a clock-driven daily close;
//  - one generated event file per business day;
//  - reading the JSON-lines alert sinks back;
//  - a tiny HTTP receiver on 127.0.0.1 (POSIX sockets, one thread) that
//    answers with scripted status codes, or never answers;
//  - a read-write DuckDB handle to tamper with the warehouse.
// Everything is header-only (inline): the e2e build compiles *_test.cc only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <duckdb.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.h"

namespace e2e {
namespace scen {

// ------------------------------------------------------------ configuration

struct ProjectOptions {
  std::string quality_extra;  // extra lines under quality:, each "  key: value\n"
  std::string sinks_extra;    // extra sink items, each starting "    - type: ..."
  bool file_sink = true;
  bool command_sink = true;
  std::string cooldown = "6h";
};

// The daybook.yml of a scenario project: UTC, daily_close 07:00, 35-day
// restatement window, FX from fx_rates.csv, one file source, the volume gate
// at 1 row per run (the production default), max_drop_rate 0.01, and the
// alert sinks: file alerts.jsonl and command `sh -c 'cat >> cmd-alerts.jsonl'`.
inline std::string ScenarioConfig(const Project& p, const ProjectOptions& o) {
  std::string y =
      "warehouse:\n  path: wh.duckdb\n"
      "business:\n  timezone: UTC\n  reporting_currency: USD\n  daily_close: \"07:00\"\n"
      "  restatement_window_days: 35\n"
      "fx:\n  rates: fx_rates.csv\n"
      "sources:\n  - name: landing\n    type: files\n    path: landing/*.jsonl*\n"
      "quality:\n  min_rows_per_run: 1\n  max_drop_rate: 0.01\n" +
      o.quality_extra +
      "alerts:\n  cooldown: " + o.cooldown + "\n  sinks:\n";
  if (o.file_sink) y += "    - type: file\n      path: alerts.jsonl\n";
  if (o.command_sink) {
    y += "    - type: command\n      command: [\"/bin/sh\", \"-c\", \"cat >> '" + p.Path("cmd-alerts.jsonl") +
         "'\"]\n      timeout: 5s\n";
  }
  y += o.sinks_extra;
  if (!o.file_sink && !o.command_sink && o.sinks_extra.empty()) y += "    []\n";
  return y;
}

inline void WriteScenarioConfig(const Project& p, const ProjectOptions& o = {}) {
  p.Write("daybook.yml", ScenarioConfig(p, o));
}

// The FX file for the scenario weeks (2025-03-03 onwards), from the generator.
inline void WriteFx(const Project& p) {
  Gen(p, {"--orders", "5", "--days", "14", "--start", "2025-03-01", "--seed", "7", "--out",
          p.Path("fxgen.jsonl"), "--fx-out", p.Path("fx_rates.csv")});
}

// One day of events in landing/day-<date>.jsonl (or `rel` when given).
inline GenResult GenDay(const Project& p, const std::string& date, int seed, int orders = 120,
                        const std::string& rel = "") {
  std::string out = p.Path(rel.empty() ? "landing/day-" + date + ".jsonl" : rel);
  return Gen(p, {"--orders", std::to_string(orders), "--days", "1", "--start", date, "--seed",
                 std::to_string(seed), "--refund-rate", "0.05", "--cancel-rate", "0.03", "--out", out});
}

// "2025-03-03" + n days (n >= -28, dates of March 2025 only: enough here).
inline std::string MarchDay(int day) {
  return std::string("2025-03-") + (day < 10 ? "0" : "") + std::to_string(day);
}
// The run time for day D's data: 06:30Z on D+1, before D's close (07:00 on D+1).
inline std::string MorningAfter(int day, const std::string& hhmm = "06:30") {
  return MarchDay(day + 1) + "T" + hhmm + ":00Z";
}

// ------------------------------------------------------------ alert sinks

// Every JSON line of an alert sink file (missing file: none).
inline std::vector<Json> ReadJsonLines(const std::string& path) {
  std::vector<Json> out;
  if (!Exists(path)) return out;
  for (const auto& line : SplitLines(ReadFile(path))) {
    if (line.empty()) continue;
    out.push_back(Json::Parse(line));
  }
  return out;
}

inline std::string Date(const Json& a) {
  return a["business_date"].type() == Json::Type::kNull ? "null" : a["business_date"].Str();
}

// "kind severity check/model date" — a compact key for assertions.
inline std::string Key(const Json& a) {
  return a["kind"].Str() + " " + a["severity"].Str() + " " + a["check"].Str() + "/" + a["model"].Str() + " " +
         Date(a);
}

inline std::vector<std::string> Keys(const std::vector<Json>& alerts, size_t from = 0) {
  std::vector<std::string> out;
  for (size_t i = from; i < alerts.size(); ++i) out.push_back(Key(alerts[i]));
  return out;
}

// The alerts (from index `from`) with this check and model.
inline std::vector<Json> Select(const std::vector<Json>& alerts, const std::string& check, const std::string& model,
                                size_t from = 0) {
  std::vector<Json> out;
  for (size_t i = from; i < alerts.size(); ++i) {
    if (alerts[i]["check"].Str() == check && alerts[i]["model"].Str() == model) out.push_back(alerts[i]);
  }
  return out;
}

// Every key of the alert JSON contract (alerts/alert.h), in order.
inline void ExpectAlertShape(const Json& a) {
  for (const char* k : {"alert_id", "kind", "severity", "check", "model", "business_date", "message", "text",
                        "run_id", "raised_at", "time", "source"}) {
    EXPECT_TRUE(a.Has(k)) << "alert JSON lacks \"" << k << "\"";
  }
  if (!a.Has("alert_id") || !a.Has("source")) return;
  EXPECT_TRUE(std::regex_match(a["alert_id"].Str(), std::regex("[0-9a-f]{16}"))) << a["alert_id"].Str();
  EXPECT_EQ(a["source"].Str(), "daybook");
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The check results of a `run --json` / `check --json` output with this
// check and model.
inline std::vector<Json> ChecksOf(const Json& out, const std::string& check, const std::string& model) {
  std::vector<Json> r;
  for (size_t i = 0; i < out["checks"].size(); ++i) {
    const Json& c = out["checks"][i];
    if (c["check"].Str() == check && c["model"].Str() == model) r.push_back(c);
  }
  return r;
}

// ------------------------------------------------------------ HTTP receiver

// A scripted HTTP/1.1 receiver on 127.0.0.1: request n (0-based) is answered
// with script[n] (after the script: `fallback`); a code of 0 means "accept,
// read the request and never answer" (the connection is held open until the
// receiver is destroyed). Only loopback traffic.
class HookReceiver {
 public:
  struct Request {
    std::string request_line, headers, body;
  };

  explicit HookReceiver(std::vector<int> script, int fallback = 200)
      : script_(std::move(script)), fallback_(fallback) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind");
    if (::listen(listen_fd_, 16) != 0) throw std::runtime_error("listen");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~HookReceiver() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    for (int fd : held_) ::close(fd);
    ::close(listen_fd_);
  }
  HookReceiver(const HookReceiver&) = delete;
  HookReceiver& operator=(const HookReceiver&) = delete;

  int port() const { return port_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return origin() + "/hooks/daybook?token=secret"; }
  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> g(mu_);
    return requests_;
  }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      Request req;
      bool complete = ReadRequest(fd, &req);
      int code;
      {
        std::lock_guard<std::mutex> g(mu_);
        size_t n = requests_.size();
        code = n < script_.size() ? script_[n] : fallback_;
        if (complete) requests_.push_back(req);
      }
      if (!complete) {
        ::close(fd);
        continue;
      }
      if (code == 0) {
        held_.push_back(fd);  // never answer
        continue;
      }
      std::string body = code >= 200 && code < 300 ? "ok" : "busy";
      std::string resp = "HTTP/1.1 " + std::to_string(code) + (code < 300 ? " OK" : " Server Error") +
                         "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\nConnection: close\r\n\r\n" + body;
      size_t off = 0;
      while (off < resp.size()) {
        ssize_t w = ::send(fd, resp.data() + off, resp.size() - off, MSG_NOSIGNAL);
        if (w <= 0) break;
        off += static_cast<size_t>(w);
      }
      ::shutdown(fd, SHUT_WR);
      ::close(fd);
    }
  }

  // Headers up to the blank line, then Content-Length bytes of body.
  static bool ReadRequest(int fd, Request* req) {
    std::string buf;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    size_t header_end = std::string::npos, need = 0;
    char chunk[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      if (header_end != std::string::npos && buf.size() >= header_end + 4 + need) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buf.append(chunk, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = buf.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          std::string head = buf.substr(0, header_end);
          std::string lower = head;
          for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          size_t cl = lower.find("content-length:");
          if (cl != std::string::npos) need = std::stoul(head.substr(cl + 15));
        }
      }
    }
    if (header_end == std::string::npos || buf.size() < header_end + 4 + need) return false;
    size_t eol = buf.find("\r\n");
    req->request_line = buf.substr(0, eol);
    req->headers = buf.substr(eol + 2, header_end - eol - 2);
    req->body = buf.substr(header_end + 4, need);
    return true;
  }

  std::vector<int> script_;
  int fallback_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Request> requests_;
  std::vector<int> held_;  // receiver thread only, then the destructor
};

// ------------------------------------------------------------ tampering

// Runs statements on the warehouse opened READ-WRITE (no daybook process may
// be running). Throws with DuckDB's message on failure.
inline void ExecReadWrite(const std::string& db_path, const std::vector<std::string>& statements) {
  duckdb_database db = nullptr;
  duckdb_connection con = nullptr;
  if (duckdb_open(db_path.c_str(), &db) != DuckDBSuccess) throw std::runtime_error("cannot open " + db_path);
  if (duckdb_connect(db, &con) != DuckDBSuccess) {
    duckdb_close(&db);
    throw std::runtime_error("cannot connect to " + db_path);
  }
  std::string error;
  for (const auto& sql : statements) {
    duckdb_result res;
    if (duckdb_query(con, sql.c_str(), &res) != DuckDBSuccess) {
      const char* e = duckdb_result_error(&res);
      error = std::string(sql) + ": " + (e ? e : "error");
      duckdb_destroy_result(&res);
      break;
    }
    duckdb_destroy_result(&res);
  }
  duckdb_disconnect(&con);
  duckdb_close(&db);
  if (!error.empty()) throw std::runtime_error(error);
}

}  // namespace scen
}  // namespace e2e
