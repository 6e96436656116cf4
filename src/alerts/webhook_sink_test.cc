// The webhook sink against real HTTP receivers on 127.0.0.1 (ephemeral
// ports): success, retries with backoff, Retry-After, no retry on 4xx, a
// receiver that never answers, and a closed port. The waits between
// attempts go through an injected sleeper, so only real network timeouts
// take real time.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "alerts/dispatcher.h"
#include "alerts/sink.h"
#include "load/schema.h"

namespace daybook {
namespace {

using ::testing::ElementsAre;
using ::testing::AllOf;
using ::testing::Ge;
using ::testing::Le;

struct Received {
  std::string body, content_type, authorization, token;
};

// A real HTTP server on 127.0.0.1; `answer` gets the 1-based request number.
class Receiver {
 public:
  using Answer = std::function<void(int n, httplib::Response& res)>;

  explicit Receiver(Answer answer) : answer_(std::move(answer)) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      int n;
      {
        std::lock_guard<std::mutex> l(mu_);
        received_.push_back({req.body, req.get_header_value("Content-Type"), req.get_header_value("Authorization"),
                             req.get_param_value("token")});
        n = static_cast<int>(received_.size());
      }
      answer_(n, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    Release();
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook?token=abc"; }
  std::vector<Received> received() {
    std::lock_guard<std::mutex> l(mu_);
    return received_;
  }

  // For receivers that never answer: blocks a handler until the test ends.
  void Hang() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait_for(l, std::chrono::seconds(20), [this] { return released_; });
  }
  void Release() {
    std::lock_guard<std::mutex> l(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  Answer answer_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  std::vector<Received> received_;
};

void Status(httplib::Response& res, int code, const std::string& body = "") {
  res.status = code;
  res.set_content(body, "text/plain");
}

class WebhookTest : public ::testing::Test {
 protected:
  WebhookTest() {
    alert_.alert_id = "00000000000000bb";
    alert_.kind = "raised";
    alert_.severity = "error";
    alert_.check = "volume";
    alert_.model = "order_events";
    alert_.message = "loaded 0 rows from source 'landing'; expected at least 1000";
    env_.sleep = [this](int64_t micros) { sleeps_.push_back(micros); };
  }

  SinkConfig Hook(const std::string& url, int retries = 3) {
    SinkConfig c;
    c.type = SinkType::kWebhook;
    c.name = "webhook:test";
    c.url = url;
    c.retries = retries;
    c.backoff_micros = 1000000;
    c.timeout_micros = 2000000;
    c.headers = {{"Authorization", "Bearer x"}};
    return c;
  }

  Delivery Send(const SinkConfig& c) { return MakeSink(c, env_)->Send(alert_, AlertJson(alert_)); }

  Alert alert_;
  SinkEnv env_;
  std::vector<int64_t> sleeps_;
};

TEST_F(WebhookTest, TwoHundredIsDeliveredOnceAsJson) {
  Receiver r([](int, httplib::Response& res) { Status(res, 200, "ok"); });
  Delivery d = Send(Hook(r.url()));
  EXPECT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "");
  auto got = r.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, AlertJson(alert_));
  EXPECT_EQ(got[0].content_type, "application/json");
  EXPECT_EQ(got[0].authorization, "Bearer x");
  EXPECT_EQ(got[0].token, "abc");  // the URL's query is kept
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(WebhookTest, FiveHundredThenTwoHundredIsDeliveredOnTheSecondAttempt) {
  Receiver r([](int n, httplib::Response& res) { n == 1 ? Status(res, 500, "busy") : Status(res, 200); });
  Delivery d = Send(Hook(r.url()));
  EXPECT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.attempts, 2);
  EXPECT_EQ(r.received().size(), 2u);
  EXPECT_THAT(sleeps_, ElementsAre(AllOf(Ge(800000), Le(1200000))));  // backoff 1s +/- 20 %
}

TEST_F(WebhookTest, BackoffDoublesWithSeededJitter) {
  auto run = [this](uint64_t seed) {
    sleeps_.clear();
    env_.jitter_seed = seed;
    Receiver r([](int n, httplib::Response& res) { n <= 3 ? Status(res, 503) : Status(res, 200); });
    Delivery d = Send(Hook(r.url(), 3));
    EXPECT_TRUE(d.ok) << d.error;
    EXPECT_EQ(d.attempts, 4);
    return sleeps_;
  };
  std::vector<int64_t> a = run(1);
  EXPECT_THAT(a, ElementsAre(AllOf(Ge(800000), Le(1200000)), AllOf(Ge(1600000), Le(2400000)),
                             AllOf(Ge(3200000), Le(4800000))));
  EXPECT_EQ(run(1), a);  // deterministic per seed
  EXPECT_NE(run(2), a);  // and really jittered
}

TEST_F(WebhookTest, TooManyRequestsHonoursRetryAfter) {
  Receiver r([](int n, httplib::Response& res) {
    if (n == 1) {
      Status(res, 429, "slow down");
      res.set_header("Retry-After", "1");
    } else {
      Status(res, 200);
    }
  });
  Delivery d = Send(Hook(r.url()));
  EXPECT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.attempts, 2);
  EXPECT_THAT(sleeps_, ElementsAre(1000000));  // exactly the server's 1 s, no jitter
}

TEST_F(WebhookTest, RetryAfterIsCappedAtOneMinute) {
  Receiver r([](int n, httplib::Response& res) {
    Status(res, n == 1 ? 503 : 200);
    if (n == 1) res.set_header("Retry-After", "86400");
  });
  Delivery d = Send(Hook(r.url()));
  EXPECT_TRUE(d.ok) << d.error;
  EXPECT_THAT(sleeps_, ElementsAre(60000000));
}

TEST_F(WebhookTest, ClientErrorIsNotRetried) {
  Receiver r([](int, httplib::Response& res) { Status(res, 404, "no such hook"); });
  Delivery d = Send(Hook(r.url()));
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "HTTP 404: no such hook");
  EXPECT_EQ(r.received().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(WebhookTest, ServerErrorsExhaustTheRetries) {
  Receiver r([](int, httplib::Response& res) { Status(res, 500, "down\nfor maintenance"); });
  Delivery d = Send(Hook(r.url(), 2));
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.error, "HTTP 500: down for maintenance");
  EXPECT_EQ(r.received().size(), 3u);
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(WebhookTest, ReceiverThatNeverAnswersTimesOutAfterRetriesInBoundedTime) {
  Receiver* self = nullptr;
  Receiver r([&self](int, httplib::Response& res) {
    self->Hang();
    Status(res, 200);  // too late: the client gave up
  });
  self = &r;
  SinkConfig c = Hook(r.url(), 2);
  c.timeout_micros = 300000;
  auto t0 = std::chrono::steady_clock::now();
  Delivery d = Send(c);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.error, "no response within 300ms (or connection closed)");
  EXPECT_EQ(sleeps_.size(), 2u);
  EXPECT_GE(elapsed, std::chrono::milliseconds(3 * 290));  // it did wait for each answer
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));     // and no longer than the timeouts
}

TEST_F(WebhookTest, ConnectionRefusedIsRetriedThenRecorded) {
  // A port that was just free: bound, read, closed.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  Delivery d = Send(Hook("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/hook", 2));
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.error, "cannot connect (refused or unreachable)");
  EXPECT_EQ(sleeps_.size(), 2u);
}

// Through the dispatcher: a flaky and a dead receiver, outcomes in the table.
TEST_F(WebhookTest, DispatcherRecordsAttemptsAndFailuresAndTheLoadGoesOn) {
  Receiver flaky([](int n, httplib::Response& res) { n == 1 ? Status(res, 500, "busy") : Status(res, 200); });
  Receiver* self = nullptr;
  Receiver dead([&self](int, httplib::Response& res) {
    self->Hang();
    Status(res, 200);
  });
  self = &dead;
  AlertSettings settings;
  settings.sinks.push_back(Hook(flaky.url()));
  settings.sinks[0].name = "webhook:flaky";
  settings.sinks.push_back(Hook(dead.url(), 1));
  settings.sinks[1].name = "webhook:dead";
  settings.sinks[1].timeout_micros = 200000;
  auto wh = Warehouse::Open(":memory:", Warehouse::Mode::kReadWrite);
  ASSERT_TRUE(wh.ok());
  ASSERT_TRUE(Migrate(**wh, "USD").ok());
  AlertCondition c{"volume", "order_events", "error", std::nullopt, "loaded 0 rows from source 'landing'", true};
  auto r = ProcessConditions(**wh, {c}, settings, 5, Timestamp{1706770800000000}, env_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->raised, 1);
  EXPECT_EQ(r->delivery_failures, 1);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_THAT(r->errors[0], ::testing::StartsWith("webhook:dead: no response within 200ms"));
  EXPECT_THAT(r->errors[0], ::testing::EndsWith(", 2 attempts)"));
  EXPECT_EQ(*(*wh)->QueryScalar("SELECT deliveries FROM alerts"),
            "[{\"at\":\"2024-02-01T07:00:00Z\",\"kind\":\"raised\",\"sink\":\"webhook:flaky\",\"ok\":true,"
            "\"attempts\":2,\"error\":null},{\"at\":\"2024-02-01T07:00:00Z\",\"kind\":\"raised\",\"sink\":"
            "\"webhook:dead\",\"ok\":false,\"attempts\":2,\"error\":\"no response within 200ms (or connection "
            "closed)\"}]");
  ASSERT_EQ(flaky.received().size(), 2u);
  EXPECT_EQ(flaky.received()[1].body, AlertJson(r->notices.at(0)));
}

}  // namespace
}  // namespace daybook
