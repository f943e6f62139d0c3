-- wrk script: counts responses that are not 200 and prints one machine-readable summary line.
--
-- wrk itself only counts statuses above 399 as errors; a 302 to the login page would pass as
-- a fast success, so every status other than 200 is counted here and load.py fails the run on it.
-- wrk has no p95 in its --latency output, hence the percentiles printed from done().

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  first_bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local non200_total, first_bad_status = 0, 0
  for _, thread in ipairs(threads) do
    non200_total = non200_total + thread:get("non200")
    local bad = thread:get("first_bad")
    if first_bad_status == 0 and bad ~= 0 then first_bad_status = bad end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, ' ..
    '"non200": %d, "first_bad_status": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max,
    non200_total, first_bad_status, e.connect, e.read, e.write, e.status, e.timeout))
end
