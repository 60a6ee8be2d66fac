// A fixed pool of worker threads running tasks in submission order of
// start. Each task receives the index of the worker that runs it, so that
// callers can keep per-thread state (an Analyzer is not thread-safe) in a
// vector indexed by it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace policy {

class WorkPool {
 public:
  explicit WorkPool(std::size_t threads) {
    for (std::size_t worker = 0; worker < threads; ++worker) {
      threads_.emplace_back([this, worker] { run(worker); });
    }
  }
  // Runs the tasks already submitted, then joins the threads.
  ~WorkPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  std::size_t size() const { return threads_.size(); }

  // Queues `task(worker)`; its result or exception arrives through the future.
  template <typename Task>
  auto submit(Task&& task) -> std::future<std::invoke_result_t<Task&, std::size_t>> {
    using Result = std::invoke_result_t<Task&, std::size_t>;
    auto packaged = std::make_shared<std::packaged_task<Result(std::size_t)>>(std::forward<Task>(task));
    std::future<Result> result = packaged->get_future();
    {
      std::lock_guard lock(mutex_);
      queue_.emplace_back([packaged](std::size_t worker) { (*packaged)(worker); });
    }
    ready_.notify_one();
    return result;
  }

 private:
  void run(std::size_t worker) {
    for (;;) {
      std::function<void(std::size_t)> task;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task(worker);
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void(std::size_t)>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;  // last: started after the state they use
};

}  // namespace policy
