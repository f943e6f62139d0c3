-- wrk script for the warm-up: counts every response that is not a 200.
--
-- wrk itself counts only statuses above 399 as errors, so a 302 to the login page would pass as a
-- fast success. Calling response() for every response costs wrk CPU that the server then lacks
-- (~20% of the trivial view's req/s on 2 cores), so it runs during the warm-up only; load.py then
-- checks that the measured run's bytes per response match the warm-up's.

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
  local total, example = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non200")
    if example == 0 then example = thread:get("first_bad") end
  end
  io.write(string.format('WRK_CHECK {"requests": %d, "bytes": %d, "non200": %d, "first_bad_status": %d}\n',
    summary.requests, summary.bytes, total, example))
end
